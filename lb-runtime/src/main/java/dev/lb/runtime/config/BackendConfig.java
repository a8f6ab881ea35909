package dev.lb.runtime.config;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One backend of a pool.
 *
 * @param name unique within the pool; defaults to {@code host:port}
 * @param address resolved when the configuration is loaded
 * @param weight at least 1; defaults to 1
 * @param labels free-form, e.g. {@code role: canary}
 * @param drain whether the backend starts in drain: it takes no new traffic until enabled at run time
 */
public record BackendConfig(String name, InetSocketAddress address, int weight, Map<String, String> labels,
        boolean drain) {

    public BackendConfig {
        labels = Map.copyOf(labels);
    }

    /** A backend that is not drained. */
    public BackendConfig(String name, InetSocketAddress address, int weight, Map<String, String> labels) {
        this(name, address, weight, labels, false);
    }
}

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
 */
public record BackendConfig(String name, InetSocketAddress address, int weight, Map<String, String> labels) {

    public BackendConfig {
        labels = Map.copyOf(labels);
    }
}

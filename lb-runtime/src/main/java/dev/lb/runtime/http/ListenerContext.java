package dev.lb.runtime.http;

import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import java.util.Map;

/**
 * What every connection of one HTTP listener shares: its configuration, its pool, the connection pools to each
 * backend, and the scheme clients used ({@code http} or {@code https}).
 */
record ListenerContext(ListenerConfig config, Pool pool, Map<BackendState, BackendConnections> backends,
                       String scheme) {

    String name() {
        return config.name();
    }

    HttpListenerConfig http() {
        return config.http();
    }

    BackendConnections connections(BackendState backend) {
        return backends.get(backend);
    }
}

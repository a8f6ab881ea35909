package dev.lb.runtime.http;

import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.TrafficMetrics;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What every connection of one HTTP listener shares: its configuration, its pool, the connection pools to each
 * backend, the scheme clients used ({@code http} or {@code https}), its metrics and the access log.
 *
 * <p>A backend's connection pool is made when the listener first sends it a request, so backends a reload adds to
 * the pool are served without the listener knowing in advance.
 */
final class ListenerContext {

    private final ListenerConfig config;
    private final Pool pool;
    private final Map<BackendState, BackendConnections> backends = new ConcurrentHashMap<>();
    private final Function<BackendState, BackendConnections> newConnections;
    private final String scheme;
    private final TrafficMetrics metrics;
    private final AccessLog accessLog;

    ListenerContext(ListenerConfig config, Pool pool, Function<BackendState, BackendConnections> newConnections,
            String scheme, TrafficMetrics metrics, AccessLog accessLog) {
        this.config = config;
        this.pool = pool;
        this.newConnections = newConnections;
        this.scheme = scheme;
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    String name() {
        return config.name();
    }

    ListenerConfig config() {
        return config;
    }

    HttpListenerConfig http() {
        return config.http();
    }

    Pool pool() {
        return pool;
    }

    String scheme() {
        return scheme;
    }

    /** The listener's own figures. */
    TrafficMetrics metrics() {
        return metrics;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    /** The connection pool to {@code backend}, made on first use. */
    BackendConnections connections(BackendState backend) {
        BackendConnections existing = backends.get(backend); // the common case takes no lock
        return existing != null ? existing : backends.computeIfAbsent(backend, newConnections);
    }

    /**
     * Forgets the connection pools of backends no longer in the pool (after a reload), closing their idle
     * connections, so that a long run of reloads does not keep one per backend that ever was.
     */
    void forgetRemovedBackends() {
        List<BackendState> members = pool.backends();
        backends.entrySet().removeIf(entry -> {
            if (members.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().retire();
            return true;
        });
    }

    /** How many backends this listener keeps a connection pool for. */
    int backendPools() {
        return backends.size();
    }

    /** Every connection pool made so far. */
    Collection<BackendConnections> allConnections() {
        return backends.values();
    }
}

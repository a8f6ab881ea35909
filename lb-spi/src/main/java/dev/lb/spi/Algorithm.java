package dev.lb.spi;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A balancing algorithm bound to one pool: the slow half of the split between algorithm and {@link Picker}.
 *
 * <p>The runtime creates one instance per pool from {@link AlgorithmProvider#create(PluginConfig)}, then calls
 * {@link #newPicker(PoolSnapshot)} once with the initial snapshot and again on every change of membership, health or
 * operator state, never concurrently for the same instance. State that must survive such changes (a ring to update
 * incrementally, a hot-reloaded script) lives here; the picker itself is used for one snapshot only.
 */
public interface Algorithm extends AutoCloseable {

    /**
     * Builds the picker for {@code snapshot}. May take its time (it is off the hot path) but must not block on I/O.
     */
    Picker newPicker(PoolSnapshot snapshot);

    /**
     * Figures the algorithm keeps about its own work, by name, for operators: a scripted policy's fallbacks, say. The
     * runtime publishes each as a metric of the pool ({@code lb_pool_algorithm_figure{pool="app",figure="fallbacks"}})
     * and reads it from any thread at any time, so each supplier must be cheap and thread-safe. Names are lower-case
     * words joined by underscores. Asked once, after {@link AlgorithmProvider#create(PluginConfig) create}; none by
     * default.
     */
    default Map<String, LongSupplier> figures() {
        return Map.of();
    }

    /** Releases what the algorithm holds; called once when its pool is removed or the server stops. */
    @Override
    default void close() {
    }
}

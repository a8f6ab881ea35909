package dev.lb.runtime.config;

import java.util.List;
import java.util.Optional;

/**
 * A named group of interchangeable backends and how to choose among them.
 *
 * @param name the pool's key under {@code pools}
 * @param algorithm the balancing algorithm plugin (default {@code round-robin})
 * @param backends at least one, names unique
 * @param health active health checking, or null when the pool is not probed
 * @param outlierDetection passive health checking from live traffic, or null when off
 */
public record PoolConfig(
        String name, PluginSpec algorithm, List<BackendConfig> backends, HealthConfig health,
        OutlierConfig outlierDetection) {

    public PoolConfig {
        backends = List.copyOf(backends);
    }

    /** A pool without outlier detection. */
    public PoolConfig(String name, PluginSpec algorithm, List<BackendConfig> backends, HealthConfig health) {
        this(name, algorithm, backends, health, null);
    }

    public Optional<HealthConfig> healthCheck() {
        return Optional.ofNullable(health);
    }

    /** Passive health checking, when configured. */
    public Optional<OutlierConfig> outliers() {
        return Optional.ofNullable(outlierDetection);
    }
}

package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.OutlierConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.health.HealthChecker;
import dev.lb.runtime.health.HealthService;
import dev.lb.runtime.health.OutlierDetector;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.metrics.OutcomeMetrics;
import dev.lb.runtime.notify.HealthEventSink;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.Pools;
import dev.lb.spi.Algorithm;
import dev.lb.spi.HealthProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The pools with their algorithms, event sink and metrics, the active health checking of those with a {@code health}
 * block and the passive one of those with {@code outlier-detection}. The static factories are shared with
 * configuration reloads, so a pool made by a reload is made exactly like one made at start.
 */
final class PoolsModule extends AbstractModule {

    @Provides
    @Singleton
    Pools pools(LbConfig config, PluginFactory plugins, HealthEventSink sink, LbMetrics metrics) {
        Map<String, Pool> pools = new LinkedHashMap<>();
        try {
            for (PoolConfig pool : config.pools().values()) {
                pools.put(pool.name(), newPool(pool, plugins, sink, metrics));
            }
        } catch (RuntimeException e) {
            pools.values().forEach(p -> Closeables.closeQuietly(p, e));
            throw e;
        }
        return new Pools(pools);
    }

    /**
     * A pool as configured, with new backend states and a new algorithm instance, publishing its events to
     * {@code sink} and counting its traffic outcomes and figures in {@code metrics}.
     */
    static Pool newPool(PoolConfig pool, PluginFactory plugins, HealthEventSink sink, LbMetrics metrics) {
        List<BackendState> backends = pool.backends().stream().map(BackendState::new).toList();
        Algorithm algorithm = plugins.algorithm(pool.algorithm());
        Pool made;
        try {
            made = new Pool(pool.name(), backends, algorithm);
        } catch (RuntimeException e) {
            Closeables.closeQuietly(algorithm, e);
            throw e;
        }
        made.events(sink);
        OutcomeMetrics.install(made, metrics);
        metrics.bindPool(made, pool.algorithm().type());
        return made;
    }

    /** A health checker for {@code pool} as {@code health} says, with a new probe instance; not started. */
    static HealthChecker newChecker(Pool pool, HealthConfig health, PluginFactory plugins,
            ScheduledExecutorService scheduler) {
        HealthProbe probe = plugins.probe(health.probe());
        try {
            return new HealthChecker(pool, health, probe, scheduler);
        } catch (RuntimeException e) {
            Closeables.closeQuietly(probe, e);
            throw e;
        }
    }

    /** An outlier detector for {@code pool} as {@code outliers} says; the caller installs it on the pool. */
    static OutlierDetector newDetector(Pool pool, OutlierConfig outliers, ScheduledExecutorService scheduler) {
        return new OutlierDetector(pool, outliers, scheduler);
    }

    @Provides
    @Singleton
    HealthService health(LbConfig config, Pools pools, PluginFactory plugins) {
        ScheduledExecutorService scheduler = HealthService.newScheduler();
        List<HealthChecker> checkers = new ArrayList<>();
        List<OutlierDetector> detectors = new ArrayList<>();
        try {
            for (PoolConfig pool : config.pools().values()) {
                Pool target = pools.get(pool.name());
                if (pool.outlierDetection() != null) {
                    OutlierDetector detector = newDetector(target, pool.outlierDetection(), scheduler);
                    detectors.add(detector);
                    target.outcomes(detector);
                }
                HealthConfig health = pool.health();
                if (health != null) {
                    checkers.add(newChecker(target, health, plugins, scheduler));
                }
            }
        } catch (RuntimeException e) {
            checkers.forEach(c -> Closeables.closeQuietly(c, e));
            detectors.forEach(d -> Closeables.closeQuietly(d, e));
            scheduler.shutdownNow();
            throw e;
        }
        return new HealthService(scheduler, checkers, detectors);
    }
}

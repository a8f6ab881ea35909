package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.health.HealthChecker;
import dev.lb.runtime.health.HealthService;
import dev.lb.runtime.health.OutlierDetector;
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
 * The pools with their algorithms and event sink, the active health checking of those with a {@code health} block
 * and the passive one of those with {@code outlier-detection}.
 */
final class PoolsModule extends AbstractModule {

    @Provides
    @Singleton
    Pools pools(LbConfig config, PluginFactory plugins, HealthEventSink sink) {
        Map<String, Pool> pools = new LinkedHashMap<>();
        try {
            for (PoolConfig pool : config.pools().values()) {
                List<BackendState> backends = pool.backends().stream().map(BackendState::new).toList();
                Algorithm algorithm = plugins.algorithm(pool.algorithm());
                try {
                    Pool made = new Pool(pool.name(), backends, algorithm);
                    made.events(sink);
                    pools.put(pool.name(), made);
                } catch (RuntimeException e) {
                    Closeables.closeQuietly(algorithm, e);
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            pools.values().forEach(p -> Closeables.closeQuietly(p, e));
            throw e;
        }
        return new Pools(pools);
    }

    @Provides
    @Singleton
    HealthService health(LbConfig config, Pools pools, PluginFactory plugins) {
        ScheduledExecutorService scheduler = HealthService.newScheduler();
        List<HealthChecker> checkers = new ArrayList<>();
        List<OutlierDetector> detectors = new ArrayList<>();
        try {
            for (PoolConfig pool : config.pools().values()) {
                if (pool.outlierDetection() != null) {
                    Pool target = pools.get(pool.name());
                    OutlierDetector detector = new OutlierDetector(target, pool.outlierDetection(), scheduler);
                    detectors.add(detector);
                    target.outcomes(detector);
                }
                HealthConfig health = pool.health();
                if (health != null) {
                    HealthProbe probe = plugins.probe(health.probe());
                    try {
                        checkers.add(new HealthChecker(pools.get(pool.name()), health, probe, scheduler));
                    } catch (RuntimeException e) {
                        Closeables.closeQuietly(probe, e);
                        throw e;
                    }
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

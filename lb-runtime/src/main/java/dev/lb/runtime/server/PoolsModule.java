package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.health.HealthChecker;
import dev.lb.runtime.health.HealthService;
import dev.lb.runtime.metrics.LbMetrics;
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

/** The pools with their algorithms, and the health checking of those that have a health block. */
final class PoolsModule extends AbstractModule {

    @Provides
    @Singleton
    Pools pools(LbConfig config, PluginFactory plugins, LbMetrics metrics) {
        Map<String, Pool> pools = new LinkedHashMap<>();
        try {
            for (PoolConfig pool : config.pools().values()) {
                pools.put(pool.name(), newPool(pool, plugins));
            }
        } catch (RuntimeException e) {
            pools.values().forEach(p -> Closeables.closeQuietly(p, e));
            throw e;
        }
        pools.values().forEach(p -> metrics.bindPool(p, config.pools().get(p.name()).algorithm().type()));
        return new Pools(pools);
    }

    /** A pool as configured, with new backend states and a new algorithm instance. */
    static Pool newPool(PoolConfig pool, PluginFactory plugins) {
        List<BackendState> backends = pool.backends().stream().map(BackendState::new).toList();
        Algorithm algorithm = plugins.algorithm(pool.algorithm());
        try {
            return new Pool(pool.name(), backends, algorithm);
        } catch (RuntimeException e) {
            Closeables.closeQuietly(algorithm, e);
            throw e;
        }
    }

    /** A health checker for {@code pool} as {@code health} says, with a new probe instance; not started. */
    static HealthChecker newChecker(Pool pool, HealthConfig health, PluginFactory plugins,
            ScheduledExecutorService scheduler, HealthEventSink sink) {
        HealthProbe probe = plugins.probe(health.probe());
        try {
            return new HealthChecker(pool, health, probe, scheduler, sink);
        } catch (RuntimeException e) {
            Closeables.closeQuietly(probe, e);
            throw e;
        }
    }

    @Provides
    @Singleton
    HealthService health(LbConfig config, Pools pools, PluginFactory plugins, HealthEventSink sink) {
        ScheduledExecutorService scheduler = HealthService.newScheduler();
        List<HealthChecker> checkers = new ArrayList<>();
        try {
            for (PoolConfig pool : config.pools().values()) {
                HealthConfig health = pool.health();
                if (health != null) {
                    checkers.add(newChecker(pools.get(pool.name()), health, plugins, scheduler, sink));
                }
            }
        } catch (RuntimeException e) {
            checkers.forEach(c -> Closeables.closeQuietly(c, e));
            scheduler.shutdownNow();
            throw e;
        }
        return new HealthService(scheduler, checkers);
    }
}

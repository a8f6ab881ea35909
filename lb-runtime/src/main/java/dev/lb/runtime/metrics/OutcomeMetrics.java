package dev.lb.runtime.metrics;

import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.TrafficOutcomes;
import java.util.Objects;

/**
 * Counts what every listener reports to a pool's {@link TrafficOutcomes} (picks and retries, connect failures, HTTP
 * responses by status class, resets before a response) in the backends' metrics. Installed as each pool's outcome
 * observer by {@link #install(Pool, LbMetrics)}, beside (not in front of) passive health checking, which the pool
 * reports to as well; a listener needs no change to be counted this way.
 */
public final class OutcomeMetrics implements TrafficOutcomes {

    private final LbMetrics metrics;
    private final String pool;

    private OutcomeMetrics(LbMetrics metrics, String pool) {
        this.metrics = metrics;
        this.pool = pool;
    }

    /** Makes the counting {@code pool}'s outcome observer (replacing any before, so installing twice counts once). */
    public static void install(Pool pool, LbMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        pool.observeOutcomes(new OutcomeMetrics(metrics, pool.name()));
    }

    @Override
    public void picked(BackendState backend, int attempt) {
        metrics.pick(pool);
        if (attempt > 0) {
            metrics.backend(pool, backend.name()).retry();
        }
    }

    @Override
    public void connectFailed(BackendState backend, Throwable cause) {
        metrics.backend(pool, backend.name()).connectFailed();
    }

    @Override
    public void resetBeforeResponse(BackendState backend) {
        metrics.backend(pool, backend.name()).request();
    }

    @Override
    public void responded(BackendState backend, int status) {
        TrafficMetrics figures = metrics.backend(pool, backend.name());
        figures.request();
        figures.response(status);
    }
}

package dev.lb.runtime.metrics;

import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.TrafficOutcomes;
import java.util.Objects;

/**
 * Counts what every listener reports to a pool's {@link TrafficOutcomes} (picks and retries, connect failures, HTTP
 * responses by status class, resets before a response) in the backends' metrics, then passes each report on to whoever listened before
 * (passive health checking). Installed on each pool by {@link #install(Pool, LbMetrics)}; a listener needs no
 * change to be counted this way.
 */
public final class OutcomeMetrics implements TrafficOutcomes {

    private final LbMetrics metrics;
    private final String pool;
    private final TrafficOutcomes next;

    private OutcomeMetrics(LbMetrics metrics, String pool, TrafficOutcomes next) {
        this.metrics = metrics;
        this.pool = pool;
        this.next = next;
    }

    /** Puts the counting in front of {@code pool}'s current outcomes listener (once). */
    public static void install(Pool pool, LbMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        synchronized (pool) {
            if (!(pool.outcomes() instanceof OutcomeMetrics)) {
                pool.outcomes(new OutcomeMetrics(metrics, pool.name(), pool.outcomes()));
            }
        }
    }

    @Override
    public void picked(BackendState backend, int attempt) {
        metrics.pick(pool);
        if (attempt > 0) {
            metrics.backend(pool, backend.name()).retry();
        }
        next.picked(backend, attempt);
    }

    @Override
    public void connected(BackendState backend) {
        next.connected(backend);
    }

    @Override
    public void connectFailed(BackendState backend, Throwable cause) {
        metrics.backend(pool, backend.name()).connectFailed();
        next.connectFailed(backend, cause);
    }

    @Override
    public void resetBeforeResponse(BackendState backend) {
        metrics.backend(pool, backend.name()).request();
        next.resetBeforeResponse(backend);
    }

    @Override
    public void responded(BackendState backend, int status) {
        TrafficMetrics figures = metrics.backend(pool, backend.name());
        figures.request();
        figures.response(status);
        next.responded(backend, status);
    }
}

package dev.lb.runtime.health;

import dev.lb.runtime.config.Durations;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.spi.Backend;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.ProbeTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actively checks every backend of one pool and moves it in and out of rotation.
 *
 * <p>Each backend is checked every {@code interval} (counted from the end of the previous check, with up to 10%
 * random jitter, the first check at a random offset so backends are not probed in lockstep). A check that fails or
 * does not complete within {@code timeout} counts as failed. After {@code fall} consecutive failures an up backend goes
 * down; after {@code rise} consecutive passes a down backend comes back. Each transition goes to the {@link Pool},
 * which combines it with ejection and drain, rebuilds its picker and publishes the events ({@code backend-down},
 * {@code backend-up}, {@code pool-empty}, {@code pool-recovered}). Everything runs on the given scheduler, never on an
 * event loop.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final Pool pool;
    private final HealthProbe probe;
    private final Duration interval;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final ScheduledExecutorService scheduler;
    private final List<BackendCheck> checks = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param pool the pool whose backends are checked
     * @param config interval, timeout, rise and fall (its probe spec is not read here)
     * @param probe the probe instance; closed by {@link #close()}
     * @param scheduler runs the checks and the bookkeeping; not shut down by this checker
     */
    public HealthChecker(Pool pool, HealthConfig config, HealthProbe probe, ScheduledExecutorService scheduler) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.interval = positive(config.interval(), "interval");
        this.timeout = positive(config.timeout(), "timeout");
        if (config.rise() < 1 || config.fall() < 1) {
            throw new IllegalArgumentException("pool " + pool.name() + ": health rise and fall must be at least 1, were "
                    + config.rise() + " and " + config.fall());
        }
        this.rise = config.rise();
        this.fall = config.fall();
    }

    private Duration positive(Duration value, String what) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("pool " + pool.name() + ": health " + what + " must be positive, was "
                    + value);
        }
        return value;
    }

    /** The pool this checker looks after. */
    public Pool pool() {
        return pool;
    }

    /** Schedules the first check of every backend at a random offset within one interval. */
    public synchronized void start() {
        if (!checks.isEmpty()) {
            throw new IllegalStateException("health checker of pool " + pool.name() + " already started");
        }
        for (BackendState backend : pool.backends()) {
            BackendCheck check = new BackendCheck(backend);
            checks.add(check);
            check.schedule(ThreadLocalRandom.current().nextLong(interval.toNanos()));
        }
    }

    /** Stops scheduling checks and closes the probe. Checks already running finish in the background. */
    @Override
    public synchronized void close() {
        closed = true;
        checks.forEach(BackendCheck::cancel);
        try {
            probe.close();
        } catch (RuntimeException e) {
            log.warn("pool {}: health probe failed to close: {}", pool.name(), e.toString(), e);
        }
    }

    /** The state of the checks of one backend; its methods run one at a time (each check schedules the next). */
    private final class BackendCheck implements ProbeTarget {

        private final BackendState backend;
        private int passes;
        private int failures;
        private String lastFailure = "";
        private volatile ScheduledFuture<?> next;

        BackendCheck(BackendState backend) {
            this.backend = backend;
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        void schedule(long delayNanos) {
            if (closed) {
                return;
            }
            try {
                next = scheduler.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The scheduler is shutting down with the server: nothing more to check.
            }
        }

        void cancel() {
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }

        private void run() {
            if (closed) {
                return;
            }
            CompletableFuture<ProbeResult> outcome = new CompletableFuture<>();
            ScheduledFuture<?> timer = scheduler.schedule(
                    () -> outcome.complete(ProbeResult.unhealthy("timed out after " + format(timeout))),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                probe.check(this).whenComplete((result, error) -> {
                    if (error != null) {
                        outcome.complete(ProbeResult.unhealthy(reason(error)));
                    } else {
                        outcome.complete(result != null ? result : ProbeResult.unhealthy("the probe returned no result"));
                    }
                });
            } catch (RuntimeException e) {
                outcome.complete(ProbeResult.unhealthy(reason(e)));
            }
            outcome.thenAccept(result -> {
                timer.cancel(false);
                try {
                    scheduler.execute(() -> {
                        if (!closed) {
                            apply(result);
                            schedule(jittered());
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // Shutting down.
                }
            });
        }

        private long jittered() {
            long nanos = interval.toNanos();
            long spread = nanos / 10;
            return spread == 0 ? nanos : nanos + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
        }

        private void apply(ProbeResult result) {
            if (result.isHealthy()) {
                failures = 0;
                passes++;
                if (!backend.isHealthy() && passes >= rise) {
                    transition(true, passes + (passes == 1 ? " probe" : " probes") + " passed");
                }
            } else {
                passes = 0;
                failures++;
                lastFailure = result.reason();
                log.debug("pool {}: backend {} failed a check ({} in a row): {}", pool.name(), backend.name(),
                        failures, lastFailure);
                if (backend.isHealthy() && failures >= fall) {
                    transition(false, failures + (failures == 1 ? " probe" : " probes") + " failed: " + lastFailure);
                }
            }
        }

        private void transition(boolean up, String reason) {
            // The pool combines this with ejection and drain, and publishes the events.
            pool.setHealthy(backend, up, reason);
        }
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** {@code duration} as configured ({@code 2s}, {@code 1m}); a Java-built sub-millisecond one as is (no throw). */
    static String format(Duration duration) {
        return duration.toNanos() % 1_000_000 == 0 && !duration.isNegative() ? Durations.format(duration)
                : duration.toString();
    }
}

package dev.lb.runtime.health;

import dev.lb.runtime.config.OutlierConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.TrafficOutcomes;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health checking of one pool (outlier detection, after Envoy's): listens to how live traffic to each backend
 * ends and ejects a backend that keeps failing.
 *
 * <p>Two counters per backend: consecutive <em>failures</em> (a connect that fails, a reset before the response),
 * cleared by a connect that succeeds or any response; and consecutive <em>5xx</em> responses, cleared by any other
 * response. When either reaches its threshold the backend is ejected for {@code base-ejection-time} times the number
 * of times it has been ejected (capped at {@code max-ejection-time}); the multiplier goes down by one for each base
 * time the backend then stays in, so a backend that fails once a day is not punished as one that flaps. No ejection
 * may take the ejected share of the pool above {@code max-ejected-percent}, except that one backend may always be
 * ejected. An ejection combines with active health and drain in the pool: a backend returns to traffic only when all
 * three agree.
 *
 * <p>The counting methods run on event loops: they only touch atomics. Ejecting (a picker rebuild and events) and the
 * timer that ends an ejection run on the health scheduler.
 */
public final class OutlierDetector implements TrafficOutcomes, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final Pool pool;
    private final OutlierConfig config;
    private final ScheduledExecutorService scheduler;
    // Replaced as a whole when the pool's members change (follow), read by event loops without locking.
    private volatile Map<BackendState, Tracker> trackers;
    private volatile boolean closed;

    /**
     * @param pool the pool whose backends are watched; install the detector with {@code pool.outcomes(detector)}
     * @param config thresholds and ejection times
     * @param scheduler runs ejections and their ends; not shut down by this detector
     */
    public OutlierDetector(Pool pool, OutlierConfig config, ScheduledExecutorService scheduler) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (config.baseEjectionTime().isZero() || config.baseEjectionTime().isNegative()
                || config.maxEjectionTime().compareTo(config.baseEjectionTime()) < 0) {
            throw new IllegalArgumentException("pool " + pool.name() + ": base-ejection-time must be positive and at"
                    + " most max-ejection-time, were " + config.baseEjectionTime() + " and "
                    + config.maxEjectionTime());
        }
        // Written once here and only read afterwards, so event loops may read it without locking.
        Map<BackendState, Tracker> map = new IdentityHashMap<>();
        pool.backends().forEach(backend -> map.put(backend, new Tracker(backend)));
        this.trackers = map;
    }

    /** The pool this detector watches. */
    public Pool pool() {
        return pool;
    }

    /** How many times {@code backend} is counted as ejected for the next ejection's length (for tests and status). */
    public int ejectionMultiplier(BackendState backend) {
        Tracker tracker = trackers.get(backend);
        synchronized (this) {
            return tracker == null ? 0 : tracker.ejections;
        }
    }

    @Override
    public void connected(BackendState backend) {
        Tracker tracker = trackers.get(backend);
        if (tracker != null) {
            clear(tracker.failures);
        }
    }

    @Override
    public void connectFailed(BackendState backend, Throwable cause) {
        failure(backend, "connect failures", cause == null ? null : describe(cause));
    }

    @Override
    public void resetBeforeResponse(BackendState backend) {
        failure(backend, "connect failures or resets", "reset before the response");
    }

    @Override
    public void responded(BackendState backend, int status) {
        Tracker tracker = trackers.get(backend);
        if (tracker == null) {
            return;
        }
        clear(tracker.failures);
        if (status < 500) {
            clear(tracker.fiveXx);
            return;
        }
        int threshold = config.consecutive5xx();
        if (threshold > 0 && tracker.fiveXx.incrementAndGet() >= threshold) {
            trigger(tracker, threshold + " consecutive 5xx responses (last: " + status + ")");
        }
    }

    private void failure(BackendState backend, String what, String last) {
        Tracker tracker = trackers.get(backend);
        int threshold = config.consecutiveFailures();
        if (tracker != null && threshold > 0 && tracker.failures.incrementAndGet() >= threshold) {
            trigger(tracker, threshold + " consecutive " + what + (last == null ? "" : " (last: " + last + ")"));
        }
    }

    /** Avoids a write (and the cache traffic it costs) on every success of a backend that is fine. */
    private static void clear(AtomicInteger counter) {
        if (counter.get() != 0) {
            counter.set(0);
        }
    }

    /** Hands the ejection to the scheduler once: later failures before it runs are part of the same story. */
    private void trigger(Tracker tracker, String reason) {
        if (closed || !tracker.pending.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(() -> eject(tracker, reason));
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    private synchronized void eject(Tracker tracker, String reason) {
        BackendState backend = tracker.backend;
        if (closed || backend.isEjected()) {
            return;
        }
        int ejected = (int) pool.backends().stream().filter(BackendState::isEjected).count();
        if (!mayEject(ejected, pool.backends().size())) {
            log.warn("pool {}: backend {} would be ejected ({}) but {} of {} backend(s) already are"
                            + " (max-ejected-percent {})", pool.name(), backend.name(), reason, ejected,
                    pool.backends().size(), config.maxEjectedPercent());
            tracker.reset();
            return;
        }
        long now = System.nanoTime();
        if (tracker.ejections > 0 && tracker.releasedAtNanos != 0) {
            // One multiplier step is forgiven for each base time spent in since the last ejection ended.
            long forgiven = (now - tracker.releasedAtNanos) / config.baseEjectionTime().toNanos();
            tracker.ejections = (int) Math.max(0, tracker.ejections - forgiven);
        }
        tracker.ejections++;
        Duration length = ejectionTime(tracker.ejections);
        pool.setEjected(backend, true,
                "ejected by outlier detection for " + HealthChecker.format(length) + ": " + reason);
        try {
            tracker.release = scheduler.schedule(() -> release(tracker, length), length.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the ejection lasts as long as the server.
        }
    }

    private boolean mayEject(int alreadyEjected, int size) {
        int percent = config.maxEjectedPercent();
        if (percent <= 0) {
            return false;
        }
        return alreadyEjected == 0 || (long) (alreadyEjected + 1) * 100 <= (long) percent * size;
    }

    /** {@code base * n}, at most {@code max}. */
    Duration ejectionTime(int ejections) {
        Duration base = config.baseEjectionTime();
        Duration max = config.maxEjectionTime();
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        return Duration.ofNanos(ejections > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, baseNanos * ejections));
    }

    private synchronized void release(Tracker tracker, Duration length) {
        if (closed) {
            return;
        }
        tracker.release = null;
        tracker.releasedAtNanos = System.nanoTime();
        tracker.reset();
        pool.setEjected(tracker.backend, false,
                "ejection of " + HealthChecker.format(length) + " by outlier detection ended");
    }

    /**
     * Follows the pool's members after a configuration reload changed them: backends kept keep their counts,
     * ejection and multiplier; added ones start afresh; removed ones are forgotten (their pending ends cancelled).
     */
    public synchronized void follow() {
        Map<BackendState, Tracker> next = new IdentityHashMap<>();
        for (BackendState backend : pool.backends()) {
            Tracker kept = trackers.get(backend);
            next.put(backend, kept != null ? kept : new Tracker(backend));
        }
        for (Map.Entry<BackendState, Tracker> entry : trackers.entrySet()) {
            ScheduledFuture<?> release = entry.getValue().release;
            if (!next.containsKey(entry.getKey()) && release != null) {
                release.cancel(false);
            }
        }
        trackers = next;
    }

    /**
     * Stops for good while the pool lives on (a reload removed or replaced this detector's settings): cancels the
     * timers and lets every backend it ejected back at once.
     */
    public synchronized void retire() {
        close();
        for (Tracker tracker : trackers.values()) {
            if (tracker.backend.isEjected()) {
                pool.setEjected(tracker.backend, false, "outlier detection settings changed by a configuration reload");
            }
        }
    }

    /** Stops: ends no ejection (the pool is going away with the server), only cancels the timers. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Tracker tracker : trackers.values()) {
            ScheduledFuture<?> release = tracker.release;
            if (release != null) {
                release.cancel(false);
            }
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** The counters of one backend: atomics for the event loops, the rest guarded by the detector's lock. */
    private static final class Tracker {

        final BackendState backend;
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger fiveXx = new AtomicInteger();
        /** Set from the trigger until the ejection ends (or is refused), so one burst ejects once. */
        final AtomicBoolean pending = new AtomicBoolean();
        int ejections;
        long releasedAtNanos;
        ScheduledFuture<?> release;

        Tracker(BackendState backend) {
            this.backend = backend;
        }

        void reset() {
            failures.set(0);
            fiveXx.set(0);
            pending.set(false);
        }
    }
}

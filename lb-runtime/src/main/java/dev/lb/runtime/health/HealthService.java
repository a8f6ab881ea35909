package dev.lb.runtime.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the health scheduler (a small pool of daemon platform threads, never an event loop) and what runs on it: the
 * active checkers and the passive outlier detectors.
 */
public final class HealthService implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final List<HealthChecker> checkers;
    private final List<OutlierDetector> detectors;

    /**
     * @param scheduler the scheduler the checkers run on (see {@link #newScheduler()}); shut down by {@link #close()}
     * @param checkers one per pool with active health checking
     * @param detectors one per pool with passive health checking, already installed on their pools
     */
    public HealthService(
            ScheduledExecutorService scheduler, List<HealthChecker> checkers, List<OutlierDetector> detectors) {
        this.scheduler = scheduler;
        // Replaced pool by pool by configuration reloads.
        this.checkers = new CopyOnWriteArrayList<>(checkers);
        this.detectors = new CopyOnWriteArrayList<>(detectors);
    }

    /** One checker per pool with active health checking. */
    public HealthService(ScheduledExecutorService scheduler, List<HealthChecker> checkers) {
        this(scheduler, checkers, List.of());
    }

    /** A scheduler for health checks: two daemon threads named {@code lb-health-N}. */
    public static ScheduledExecutorService newScheduler() {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "lb-health-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled checks of a stopped pool must not linger in the queue.
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }

    /** The checkers, one per pool with health checking. */
    public List<HealthChecker> checkers() {
        return List.copyOf(checkers);
    }

    /** The outlier detectors, one per pool with passive health checking. */
    public List<OutlierDetector> detectors() {
        return List.copyOf(detectors);
    }

    /** The outlier detector of pool {@code poolName}, or null when it has none. */
    public OutlierDetector detector(String poolName) {
        return detectors.stream().filter(d -> d.pool().name().equals(poolName)).findFirst().orElse(null);
    }

    /** The scheduler checkers of this service run on, for a checker or detector made after a reload. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Stops and removes the checker of pool {@code poolName}, if any, then adds {@code replacement} (when not null),
     * started. Used by a configuration reload.
     */
    public void replace(String poolName, HealthChecker replacement) {
        for (HealthChecker checker : checkers) {
            if (checker.pool().name().equals(poolName)) {
                checkers.remove(checker);
                checker.close();
            }
        }
        if (replacement != null) {
            checkers.add(replacement);
            replacement.start();
        }
    }

    /**
     * Replaces the outlier detector of pool {@code poolName} by {@code replacement} (none when null), for a
     * configuration reload: the old one is retired, which lets the backends it ejected back, and the replacement is
     * installed on its pool (or the pool's passive health listener is cleared).
     */
    public void replaceDetector(String poolName, OutlierDetector replacement, dev.lb.runtime.pool.Pool pool) {
        if (replacement != null) {
            detectors.add(replacement);
            pool.outcomes(replacement);
        } else {
            pool.outcomes(dev.lb.runtime.pool.TrafficOutcomes.IGNORED);
        }
        for (OutlierDetector detector : detectors) {
            if (detector != replacement && detector.pool().name().equals(poolName)) {
                detectors.remove(detector);
                detector.retire();
            }
        }
    }
    /** Stops and removes the outlier detector of pool {@code poolName}, if any (the pool is gone). */
    public void removeDetector(String poolName) {
        for (OutlierDetector detector : detectors) {
            if (detector.pool().name().equals(poolName)) {
                detectors.remove(detector);
                detector.close();
            }
        }
    }

    /** Starts every checker. */
    public void start() {
        checkers.forEach(HealthChecker::start);
    }

    /** Stops every checker, closes their probes and stops the scheduler. */
    @Override
    public void close() {
        checkers.forEach(HealthChecker::close);
        detectors.forEach(OutlierDetector::close);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.lb.runtime.health;

import java.util.List;
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
        this.checkers = List.copyOf(checkers);
        this.detectors = List.copyOf(detectors);
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
        return checkers;
    }

    /** The outlier detectors, one per pool with passive health checking. */
    public List<OutlierDetector> detectors() {
        return detectors;
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

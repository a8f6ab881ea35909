package dev.lb.runtime.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the health scheduler (a small pool of daemon platform threads, never an event loop) and the checkers that run
 * on it.
 */
public final class HealthService implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final List<HealthChecker> checkers;

    /**
     * @param scheduler the scheduler the checkers run on (see {@link #newScheduler()}); shut down by {@link #close()}
     * @param checkers one per pool with health checking
     */
    public HealthService(ScheduledExecutorService scheduler, List<HealthChecker> checkers) {
        this.scheduler = scheduler;
        this.checkers = new CopyOnWriteArrayList<>(checkers);
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

    /** The scheduler checkers of this service run on, for a checker made after a reload. */
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

    /** Starts every checker. */
    public void start() {
        checkers.forEach(HealthChecker::start);
    }

    /** Stops every checker, closes their probes and stops the scheduler. */
    @Override
    public void close() {
        checkers.forEach(HealthChecker::close);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

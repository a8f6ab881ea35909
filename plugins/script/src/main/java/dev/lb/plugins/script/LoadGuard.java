package dev.lb.plugins.script;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;

/**
 * Bounds what loading a policy allocates: the module's top-level code and its {@code init}, which run when a context
 * is built, outside any pick and so outside the {@link Watchdog}. What they allocate is module state the context
 * keeps, so the bound is {@code recycle-after}. Checked as often as the watchdog checks picks, by one process-wide
 * timer thread, for the thread that builds the context; past the bound the context is interrupted.
 */
final class LoadGuard implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().daemon().name("lb-script-load-guard").unstarted(task));

    private final Context context;
    private final Thread owner = Thread.currentThread();
    private final long limit;
    private final long before = Allocations.current();
    private final ScheduledFuture<?> check;
    private boolean done;
    private volatile long allocatedWhenStopped = -1;

    private LoadGuard(Context context, long limit) {
        this.context = context;
        this.limit = limit;
        long period = Watchdog.LONGEST_PERIOD.toNanos();
        this.check = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    /** Starts watching what the calling thread allocates while it loads a policy into {@code context}. */
    static LoadGuard watch(Context context, long limit) {
        return new LoadGuard(context, limit);
    }

    private void check() {
        synchronized (this) {
            if (done || allocatedWhenStopped >= 0) {
                return;
            }
            long allocated = Allocations.of(owner) - before;
            if (allocated <= limit) {
                return;
            }
            // Decided while loading was still going on; if it ended meanwhile, open() refuses the context anyway.
            allocatedWhenStopped = allocated;
        }
        try {
            context.interrupt(Duration.ofMillis(200));
        } catch (TimeoutException | PolyglotException | IllegalStateException e) {
            // Did not yield (or is already closed): cancel it; the loading thread sees it fail either way.
            context.close(true);
        }
    }

    /** What loading had allocated when it was stopped, or -1 when it was not stopped. */
    long allocatedWhenStopped() {
        return allocatedWhenStopped;
    }

    @Override
    public void close() {
        synchronized (this) {
            done = true;
        }
        check.cancel(false);
    }
}

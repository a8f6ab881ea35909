package dev.lb.plugins.script;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.PolyglotException;

/**
 * Interrupts a pick that runs past its time budget. Event-loop threads only write a start time before each call and
 * clear it after; this thread looks at them every half budget and interrupts the context of a call that is late and
 * busy (see {@link #isSpending}), so a stuck script costs its request two to three budgets and never stalls the loop. If the interrupt does not land, the context is
 * cancelled outright (its thread then builds a new one).
 */
final class Watchdog implements AutoCloseable {

    /**
     * A late call that is not spending processor time is still interrupted after this many budgets, and not before
     * {@link #HARD_LIMIT_FLOOR}: a collection or a busy machine can pause a thread for a hundred milliseconds and
     * more, and a script has no way to wait that long on purpose short of {@code Atomics.wait}.
     */
    static final int HARD_LIMIT_FACTOR = 20;
    static final Duration HARD_LIMIT_FLOOR = Duration.ofSeconds(1);
    /** How many calls of a new context are held only to the hard limit, see {@link ThreadSlot#callsOnContext}. */
    static final int GRACE_CALLS = 100;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long budgetNanos;
    private final long hardLimitNanos;
    private final Queue<ThreadSlot> slots = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    Watchdog(Duration budget, String name) {
        this.budgetNanos = budget.toNanos();
        this.hardLimitNanos = Math.max(HARD_LIMIT_FACTOR * budgetNanos, HARD_LIMIT_FLOOR.toNanos());
        this.thread = Thread.ofPlatform().daemon().name("lb-script-watchdog-" + name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void watch(ThreadSlot slot) {
        slots.add(slot);
    }

    private void run() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1) / 2, budgetNanos / 2);
        while (running) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (ThreadSlot slot : slots) {
                long started = slot.startedNanos;
                if (started != 0 && now - started > budgetNanos && isSpending(slot, started, now)) {
                    interrupt(slot, started);
                }
            }
        }
    }

    /**
     * Whether a call that has been running past its budget is using the processor for it. A call that is only waiting
     * (its thread descheduled on a busy machine, or stopped by a garbage collection) is not the script's doing and is
     * left alone, up to the hard limit of wall time; one that has burnt a whole budget more of
     * processor time since it was first seen late is interrupted. Measuring processor time costs a system call, so
     * it happens only for calls already late.
     */
    private boolean isSpending(ThreadSlot slot, long started, long now) {
        if (now - started > hardLimitNanos) {
            slot.lateCpuNanos = -1;
            return true;
        }
        if (slot.callsOnContext < GRACE_CALLS) {
            return false;
        }
        if (!THREADS.isThreadCpuTimeSupported()) {
            return true;
        }
        long cpu = THREADS.getThreadCpuTime(slot.owner.threadId());
        if (cpu < 0) {
            return true;
        }
        if (slot.suspectStarted != started) {
            slot.suspectStarted = started;
            slot.suspectCpuNanos = cpu;
            return false;
        }
        slot.lateCpuNanos = cpu - slot.suspectCpuNanos;
        return slot.lateCpuNanos >= budgetNanos;
    }

    private static void interrupt(ThreadSlot slot, long started) {
        PolicyContext context = slot.context;
        if (context == null || slot.startedNanos != started) {
            return;
        }
        slot.overBudget = true;
        try {
            context.context().interrupt(Duration.ofMillis(200));
        } catch (TimeoutException | PolyglotException | IllegalStateException e) {
            // The script did not yield to the interrupt (or the context is already gone): cancel it for good.
            context.close();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

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
 * Interrupts a pick that runs past its time budget or allocates past its allocation limit. Event-loop threads only
 * write a call number and their allocation count before each call and clear the number after (no clock reading on
 * the hot path); this thread times each call from when it first sees its number, and looks at them
 * every half budget (at least every {@link #LONGEST_PERIOD}, so that memory is checked often even under a long
 * budget). It interrupts the context of a call that has allocated more than the limit, or that is late and busy (see
 * {@link #isSpending}), so a stuck script costs its request two to three budgets and never stalls the loop, and a
 * call that allocates without end is stopped a few milliseconds' worth of allocation past the limit. If the interrupt
 * does not land, the context is cancelled outright (its thread then builds a new one).
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
    /** The longest wait between two looks at the calls in progress, whatever the budget. */
    static final Duration LONGEST_PERIOD = Duration.ofMillis(2).plusNanos(500_000);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long budgetNanos;
    private final long allocationLimit;
    private final long hardLimitNanos;
    private final Queue<ThreadSlot> slots = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param allocationLimit bytes a call may allocate; 0 or less for no limit */
    Watchdog(Duration budget, long allocationLimit, String name) {
        this.budgetNanos = budget.toNanos();
        this.allocationLimit = allocationLimit;
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
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1) / 2,
                Math.min(budgetNanos / 2, LONGEST_PERIOD.toNanos()));
        while (running) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (ThreadSlot slot : slots) {
                long call = slot.call;
                if (call == 0) {
                    continue;
                }
                if (call != slot.seenCall) {
                    // First seen now: it began within the last period. Timed from here, a call is found late between
                    // one budget and one budget and a period (half a budget) after it began.
                    slot.seenCall = call;
                    slot.seenAtNanos = now;
                }
                long ran = now - slot.seenAtNanos;
                long allocated = allocationLimit > 0 ? allocatedSince(slot) : 0;
                if (allocationLimit > 0 && allocated > allocationLimit) {
                    slot.allocatedWhenStopped = allocated;
                    interrupt(slot, call, ran, ThreadSlot.STOPPED_FOR_MEMORY);
                } else if (ran >= budgetNanos && isSpending(slot, call, ran)) {
                    interrupt(slot, call, ran, ThreadSlot.STOPPED_FOR_TIME);
                }
            }
        }
    }

    /**
     * What the call in progress has allocated so far. The start count is read after the call's number, so it is this
     * call's or a later one's: a race can only make the figure smaller, never blame a call for its predecessor.
     */
    private static long allocatedSince(ThreadSlot slot) {
        long before = slot.allocatedBefore;
        long now = Allocations.of(slot.owner);
        return now < 0 ? 0 : now - before;
    }

    /**
     * Whether a call that has been running past its budget is using the processor for it. A call that is only waiting
     * (its thread descheduled on a busy machine, or stopped by a garbage collection) is not the script's doing and is
     * left alone, up to the hard limit of wall time; one that has burnt a whole budget more of
     * processor time since it was first seen late is interrupted. Measuring processor time costs a system call, so
     * it happens only for calls already late.
     */
    private boolean isSpending(ThreadSlot slot, long call, long ran) {
        if (ran > hardLimitNanos) {
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
        if (slot.suspectCall != call) {
            slot.suspectCall = call;
            slot.suspectCpuNanos = cpu;
            return false;
        }
        slot.lateCpuNanos = cpu - slot.suspectCpuNanos;
        return slot.lateCpuNanos >= budgetNanos;
    }

    private static void interrupt(ThreadSlot slot, long call, long ran, int reason) {
        PolicyContext context = slot.context;
        if (context == null || slot.call != call) {
            return;
        }
        slot.stoppedAfterNanos = ran;
        slot.stopped = reason;
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

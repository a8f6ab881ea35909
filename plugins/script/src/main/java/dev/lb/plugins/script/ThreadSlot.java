package dev.lb.plugins.script;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What one thread keeps for one scripted pool: its context, its call in progress, what the context's picks have
 * allocated, and the context built to replace it.
 */
final class ThreadSlot {

    /** Why the watchdog interrupted the call in progress: not at all, its time budget, or its allocation limit. */
    static final int RUNNING = 0;
    static final int STOPPED_FOR_TIME = 1;
    static final int STOPPED_FOR_MEMORY = 2;

    /** The thread this slot belongs to, whose processor time and allocations the watchdog reads. */
    final Thread owner = Thread.currentThread();
    /** Watchdog's own: the call in progress it last saw, and when it first saw it. */
    long seenCall;
    long seenAtNanos;
    /** Watchdog's own: the late call it is watching, and the thread's processor time when it first saw it late. */
    long suspectCall;
    long suspectCpuNanos;
    /** How long the interrupted call had run at least when the watchdog stopped it, for the log. */
    volatile long stoppedAfterNanos;
    /** Processor time the interrupted call had spent since it was first seen late, for the log. */
    volatile long lateCpuNanos;
    /** This thread's context; replaced when the policy's version changes, the context broke or was recycled. */
    volatile PolicyContext context;
    /**
     * The thread's {@link Allocations allocation count} when the call in progress started. Not volatile, to spare the
     * hot path a fence: it is written before the volatile {@link #call} and read after it, so a watchdog that saw a
     * call start reads this call's count or a later one's, never an earlier one's.
     */
    long allocatedBefore;
    /**
     * The number of the call in progress, 0 when idle; read by the {@link Watchdog}, which times a call from when it
     * first sees its number. A number rather than a start time: reading the clock costs 20-40ns on some virtual
     * machines, a tenth of a scripted pick, and the watchdog's own clock is as precise as its period anyway.
     */
    volatile long call;
    /** Owner's own: the number of the last call made, see {@link #call}. */
    long calls;
    /** Set by the watchdog when it interrupted the call in progress: {@link #STOPPED_FOR_TIME} or for memory. */
    volatile int stopped;
    /** What the call had allocated when the watchdog stopped it for memory, for the log. */
    volatile long allocatedWhenStopped;
    /**
     * Calls made on the current context; its first {@link Watchdog#GRACE_CALLS} get the watchdog's hard limit rather
     * than the budget, because GraalVM builds a function's code on its first calls, which no budget meant to include.
     */
    volatile int callsOnContext;
    /** Set when the context can no longer be used (cancelled by a limit). */
    boolean broken;
    /** Owner's own: what the picks on the current context have allocated in all (an upper bound of what it keeps). */
    long allocatedOnContext;
    /** Owner's own: when {@link #allocatedOnContext} reaches this, the slot looks at whether to recycle. */
    long allocationMark;
    /** Owner's own: whether a replacement for the current context was asked of the rebuild thread. */
    boolean replacementAsked;
    /** A context built off this thread (after a reload, or ahead of a recycle), ready to be swapped in. */
    private final AtomicReference<PolicyContext> replacement = new AtomicReference<>();

    /**
     * Hands this slot a context to swap in at its next pick. An older version than the one already waiting is
     * closed instead (a recycle's replacement that a reload overtook), and so is the one it displaces.
     */
    void offer(PolicyContext next) {
        while (true) {
            PolicyContext waiting = replacement.get();
            if (waiting != null && waiting.version() > next.version()) {
                next.close();
                return;
            }
            if (replacement.compareAndSet(waiting, next)) {
                if (waiting != null) {
                    waiting.close();
                }
                return;
            }
        }
    }

    /** The waiting replacement if it serves {@code version} or a newer one, else null (a stale one is closed). */
    PolicyContext takeReplacement(int version) {
        PolicyContext next = replacement.getAndSet(null);
        if (next != null && next.version() < version) {
            next.close();
            return null;
        }
        return next;
    }

    /** Whether a replacement is waiting to be swapped in. */
    boolean hasReplacement() {
        return replacement.get() != null;
    }

    /** Closes the replacement waiting, if any. */
    void discardReplacement() {
        PolicyContext waiting = replacement.getAndSet(null);
        if (waiting != null) {
            waiting.close();
        }
    }

    /** Closes the context and any replacement waiting; the pool is going away. */
    void closeAll() {
        PolicyContext current = context;
        if (current != null) {
            current.close();
        }
        discardReplacement();
    }
}

package dev.lb.plugins.script;

/** What one thread keeps for one scripted pool: its context and its call in progress. */
final class ThreadSlot {

    /** The thread this slot belongs to, whose processor time the watchdog reads. */
    final Thread owner = Thread.currentThread();
    /** Watchdog's own: the late call it is watching, and the thread's processor time when it first saw it late. */
    long suspectStarted;
    long suspectCpuNanos;
    /** Processor time the interrupted call had spent since it was first seen late, for the log. */
    volatile long lateCpuNanos;
    /** This thread's context; replaced when the policy's version changes or the context broke. */
    volatile PolicyContext context;
    /** {@link System#nanoTime()} when the call in progress started, 0 when idle; read by the {@link Watchdog}. */
    volatile long startedNanos;
    /** Set by the watchdog when it interrupted the call in progress. */
    volatile boolean overBudget;
    /**
     * Calls made on the current context; its first {@link Watchdog#GRACE_CALLS} get the watchdog's hard limit rather
     * than the budget, because GraalVM builds a function's code on its first calls, which no budget meant to include.
     */
    volatile int callsOnContext;
    /** Set when the context can no longer be used (cancelled by a limit). */
    boolean broken;
}

package dev.lb.plugins.script;

/** What one thread keeps for one scripted pool: its context, its request view, and its call in progress. */
final class ThreadSlot {

    final RequestView request = new RequestView();
    /** This thread's context; replaced when the policy's version changes or the context broke. */
    volatile PolicyContext context;
    /** {@link System#nanoTime()} when the call in progress started, 0 when idle; read by the {@link Watchdog}. */
    volatile long startedNanos;
    /** Set by the watchdog when it interrupted the call in progress. */
    volatile boolean overBudget;
    /** Set when the context can no longer be used (cancelled by a limit). */
    boolean broken;
}

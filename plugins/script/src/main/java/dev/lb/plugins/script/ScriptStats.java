package dev.lb.plugins.script;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a scripted policy has done: picks made by the script, failures by kind, reloads, and contexts recycled because
 * their picks had allocated {@code recycle-after}. Thread-safe.
 */
public final class ScriptStats {

    /** Why a pick fell back to the fallback algorithm. */
    public enum Failure {
        /** The script threw an exception. */
        THREW,
        /** The script returned something that names no eligible backend. */
        BAD_RESULT,
        /** The script ran past its time budget and was interrupted. */
        OVER_TIME,
        /** The script executed more statements than its limit. */
        OVER_STATEMENTS,
        /** The script allocated more memory in one pick than its allocation limit and was interrupted. */
        OVER_ALLOCATION,
        /** The script ran the JVM out of memory (or of stack); its context was discarded, freeing what it held. */
        OUT_OF_RESOURCES,
        /** The policy could not be evaluated in this thread's context. */
        UNAVAILABLE
    }

    private final LongAdder scripted = new LongAdder();
    private final LongAdder[] failures = new LongAdder[Failure.values().length];
    private final LongAdder reloads = new LongAdder();
    private final LongAdder refusedReloads = new LongAdder();
    private final LongAdder recycles = new LongAdder();

    ScriptStats() {
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    void scripted() {
        scripted.increment();
    }

    long failed(Failure failure) {
        failures[failure.ordinal()].increment();
        return totalFailures();
    }

    void reloaded() {
        reloads.increment();
    }

    void refused() {
        refusedReloads.increment();
    }

    long recycled() {
        recycles.increment();
        return recycles.sum();
    }

    /** Picks the script made. */
    public long scriptedPicks() {
        return scripted.sum();
    }

    /** Picks that fell back for {@code failure}. */
    public long failures(Failure failure) {
        return failures[failure.ordinal()].sum();
    }

    /** Picks that fell back, for any reason. */
    public long totalFailures() {
        long total = 0;
        for (LongAdder adder : failures) {
            total += adder.sum();
        }
        return total;
    }

    /** New versions of the file swapped in. */
    public long reloads() {
        return reloads.sum();
    }

    /** New versions of the file refused because they did not load. */
    public long refusedReloads() {
        return refusedReloads.sum();
    }

    /** Contexts rebuilt afresh because their picks had allocated {@code recycle-after} in all. */
    public long recycles() {
        return recycles.sum();
    }
}

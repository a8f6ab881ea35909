package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.PluginConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code slow-start} setting: a backend that has just become eligible (joined, recovered or left drain) receives a
 * share that grows linearly from {@value #FLOOR_PERCENT}% to 100% of its normal share over the window.
 *
 * <p>The floor lets a newcomer receive some traffic at once, so its latency figures start to fill in.
 */
final class SlowStart {

    static final String KEY = "slow-start";
    static final int FLOOR_PERCENT = 10;
    static final Duration MAX = Duration.ofHours(1);
    /** A ramp's full share is at most this many steps, so shares times weights stay far from overflowing a long. */
    static final int MAX_STEPS = 1 << 16;

    private final long windowNanos;

    private SlowStart(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Reads and validates {@code slow-start} (default {@code 0s}: off). */
    static SlowStart read(PluginConfig config) {
        Duration window = config.duration(KEY, Duration.ZERO);
        if (window.isNegative() || window.compareTo(MAX) > 0) {
            throw config.invalid(KEY, "must be between 0s (off) and 1h, was " + window.toSeconds() + "s");
        }
        return new SlowStart(window.toNanos());
    }

    /**
     * The ramp for {@code backends} as of now, or null when slow start is off or no backend is inside its window (the
     * common case, which then costs the picker nothing). Read when a picker is built, not per pick.
     */
    Ramp rampFor(Backend[] backends) {
        return windowNanos == 0 ? null : rampFor(backends, System.nanoTime());
    }

    /** As {@link #rampFor(Backend[])} as of {@code now}, a {@link System#nanoTime()} reading. */
    Ramp rampFor(Backend[] backends, long now) {
        if (windowNanos == 0) {
            return null;
        }
        long[] since = new long[backends.length];
        boolean[] ramping = new boolean[backends.length];
        long until = Long.MIN_VALUE;
        boolean anyRamping = false;
        for (int i = 0; i < backends.length; i++) {
            since[i] = backends[i].eligibleSinceNanos();
            long end = since[i] + windowNanos;
            if (end - now > 0) {
                ramping[i] = true;
                if (!anyRamping || end - until > 0) {
                    until = end;
                }
                anyRamping = true;
            }
        }
        return anyRamping ? new Ramp(since, ramping, windowNanos, until) : null;
    }

    /**
     * The ramp of one snapshot's backends, in integers: a backend's share is a whole number of steps from the floor to
     * {@link #full()}, where one step is the window divided by a power of two (at most {@value #MAX_STEPS} steps), so
     * a share is a shift and a clamp, with no division or floating point on the hot path.
     *
     * <p>Which backends ramp is fixed when the snapshot is built. A pick takes its time from its
     * {@link PickContext#nanoTime() context} (which the runtime filled from the clock reading it had already taken for
     * the request or connection, so no pick reads the clock), at most once: the load-aware pickers on every pick while
     * a ramp is in force, the table-driven ones only when they draw a ramping backend. Once a pick's time reaches the
     * end of the last window the ramp latches off, and afterwards costs one volatile read per such reading.
     */
    static final class Ramp {

        /** What {@link #now()} answers once the ramp is over. */
        static final long OVER = Long.MIN_VALUE;

        private final long[] since;
        private final boolean[] ramping;
        private final int shift;
        private final long full;
        private final long floor;
        private final long until;
        private volatile boolean over;

        Ramp(long[] since, boolean[] ramping, long window, long until) {
            this.since = since;
            this.ramping = ramping;
            // The window in at most MAX_STEPS steps of 2^shift nanoseconds: exact for windows up to ~65 µs, else to
            // within 1/32768 of the window.
            this.shift = Math.max(0, 64 - Long.numberOfLeadingZeros(window) - Integer.numberOfTrailingZeros(MAX_STEPS));
            this.full = Math.max(1, window >> shift);
            this.floor = Math.max(1, full * FLOOR_PERCENT / 100);
            this.until = until;
        }

        /** Whether backend {@code index} was inside its window when the snapshot was built; others never ramp. */
        boolean ramping(int index) {
            return ramping[index];
        }

        /**
         * The time to ramp {@code context}'s pick with (its {@link PickContext#nanoTime()}), or {@link #OVER} once
         * every window has closed (after which this is a single volatile read, and the time is no longer consulted).
         */
        long now(PickContext context) {
            if (over) {
                return OVER;
            }
            long now = context.nanoTime();
            if (now - until >= 0) {
                over = true;
                return OVER;
            }
            return now;
        }

        /** The share of a backend that is not ramping, in steps: the scale of every {@link #share(int, long)}. */
        long full() {
            return full;
        }

        /**
         * Backend {@code index}'s share at {@code now} (a reading of {@link #now}, or {@link #OVER}), in steps: from
         * the floor ({@value #FLOOR_PERCENT}% of {@link #full()}) growing linearly to {@link #full()}.
         */
        long share(int index, long now) {
            if (now == OVER || !ramping[index]) {
                return full;
            }
            long steps = (now - since[index]) >> shift;
            return steps >= full ? full : Math.max(floor, steps);
        }

        /**
         * Whether a table-driven pick of backend {@code index} stands at {@code now} (a reading of {@link #now}):
         * certainly when it is not ramping, else with probability share / full, so that its share of picks is scaled
         * by its ramp.
         */
        boolean keeps(int index, long now) {
            long share = share(index, now);
            return share >= full || ThreadLocalRandom.current().nextLong(full) < share;
        }
    }
}

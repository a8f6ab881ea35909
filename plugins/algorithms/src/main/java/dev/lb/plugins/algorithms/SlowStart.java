package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PluginConfig;
import java.time.Duration;

/**
 * The {@code slow-start} setting: a backend that has just become eligible (joined, recovered or left drain) receives a
 * share that grows linearly from {@value #FLOOR_PERCENT}% to 100% of its normal share over the window.
 *
 * <p>The floor lets a newcomer receive some traffic at once, so its latency figures start to fill in.
 */
final class SlowStart {

    static final String KEY = "slow-start";
    static final int FLOOR_PERCENT = 10;
    static final double FLOOR = FLOOR_PERCENT / 100.0;
    static final Duration MAX = Duration.ofHours(1);

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
     * common case, which then costs the picker nothing).
     */
    Ramp rampFor(Backend[] backends) {
        if (windowNanos == 0) {
            return null;
        }
        long now = System.nanoTime();
        long[] since = new long[backends.length];
        long until = Long.MIN_VALUE;
        boolean anyRamping = false;
        for (int i = 0; i < backends.length; i++) {
            since[i] = backends[i].eligibleSinceNanos();
            long end = since[i] + windowNanos;
            if (end - now > 0) {
                anyRamping = true;
                if (until == Long.MIN_VALUE || end - until > 0) {
                    until = end;
                }
            }
        }
        return anyRamping ? new Ramp(since, windowNanos, until) : null;
    }

    /**
     * The ramp of one snapshot's backends. Pickers consult it only while {@link #active(long)} holds; once the last
     * window has closed it latches off, so afterwards it costs one volatile read per pick.
     */
    static final class Ramp {

        /** What {@link #now()} answers once the ramp is over. */
        static final long OVER = Long.MIN_VALUE;

        private final long[] since;
        private final long window;
        private final long until;
        private volatile boolean over;

        Ramp(long[] since, long window, long until) {
            this.since = since;
            this.window = window;
            this.until = until;
        }

        /**
         * The clock reading to ramp with, or {@link #OVER} once every window has closed (after which this is a single
         * volatile read, and the clock is no longer consulted).
         */
        long now() {
            if (over) {
                return OVER;
            }
            long now = System.nanoTime();
            if (now - until >= 0) {
                over = true;
                return OVER;
            }
            return now;
        }

        /** Whether some backend is still ramping; reads the clock only until the ramp is over. */
        boolean active() {
            return now() != OVER;
        }

        /** Backend {@code index}'s share factor at {@code now}, between the floor and 1. */
        double factor(int index, long now) {
            long elapsed = now - since[index];
            if (elapsed >= window) {
                return 1.0;
            }
            return Math.max(FLOOR, elapsed / (double) window);
        }
    }
}

package dev.lb.runtime.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyTrackerTest {

    private static final long TAU = 1_000_000_000L;

    @Test
    void zeroUntilMeasuredThenTakesTheFirstSampleAsIs() {
        LatencyTracker tracker = new LatencyTracker(TAU);
        assertEquals(0, tracker.ewmaNanos());
        assertEquals(0, tracker.peakEwmaNanos());
        tracker.record(5_000, 100);
        assertEquals(5_000, tracker.ewmaNanos());
        assertEquals(5_000, tracker.peakEwmaNanos());
    }

    @Test
    void peakJumpsUpAtOnceAndDecaysWithTheTimeConstant() {
        LatencyTracker tracker = new LatencyTracker(TAU);
        tracker.record(1_000, 0);
        tracker.record(100_000, 1_000); // 1µs later: the plain average barely moves, the peak jumps
        assertEquals(100_000, tracker.peakEwmaNanos());
        assertTrue(tracker.ewmaNanos() < 2_000, "plain EWMA " + tracker.ewmaNanos());

        tracker.record(1_000, 1_000 + TAU); // one time constant later: the old value keeps 1/e of its weight
        long expected = Math.round(100_000 * Math.exp(-1) + 1_000 * (1 - Math.exp(-1)));
        assertEquals(expected, tracker.peakEwmaNanos(), 1);

        tracker.record(1_000, 1_000 + 20 * TAU); // long after: forgotten
        assertEquals(1_000, tracker.peakEwmaNanos(), 1);
    }
}

package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.spi.Protocol;
import dev.lb.spi.testkit.TestBackend;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The integer cost / weight comparison shared by the load-aware pickers, and the costs it compares. */
class LoadAwarePickerTest {

    private static final long MAX_WEIGHT = (long) Integer.MAX_VALUE * SlowStart.MAX_STEPS;

    @Test
    void compareIsExactOverTheWholeRangeOfCostsAndWeights() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // Half small figures (the 64-bit path), half anywhere in range (the 128-bit path).
            long cost1 = i % 2 == 0 ? random.nextLong(1L << 32) : random.nextLong(Long.MAX_VALUE);
            long cost2 = i % 2 == 0 ? random.nextLong(1L << 32) : random.nextLong(Long.MAX_VALUE);
            long weight1 = 1 + (i % 2 == 0 ? random.nextLong(1L << 31) - 1 : random.nextLong(MAX_WEIGHT));
            long weight2 = 1 + (i % 2 == 0 ? random.nextLong(1L << 31) - 1 : random.nextLong(MAX_WEIGHT));
            if (i % 5 == 0) {
                // Equal ratios by construction: c·m1 / w·m1 and c·m2 / w·m2, large enough for the 128-bit path.
                long c = random.nextLong(1L << 40);
                long w = 1 + random.nextLong(1L << 20);
                long m1 = 1 + random.nextLong(1L << 20);
                long m2 = 1 + random.nextLong(1L << 20);
                cost1 = c * m1;
                weight1 = w * m1;
                cost2 = c * m2;
                weight2 = w * m2;
            }
            assertAgreesWithBigInteger(cost1, weight1, cost2, weight2);
        }
        assertAgreesWithBigInteger(Long.MAX_VALUE, MAX_WEIGHT, Long.MAX_VALUE, MAX_WEIGHT);
        assertAgreesWithBigInteger(Long.MAX_VALUE, MAX_WEIGHT, Long.MAX_VALUE - 1, MAX_WEIGHT);
        assertAgreesWithBigInteger(0, 1, 0, MAX_WEIGHT);
        assertAgreesWithBigInteger((1L << 32) - 1, (1L << 31) - 1, (1L << 32) - 1, (1L << 31) - 2);
    }

    @Test
    void equalRatiosTieExactlyWhereFloatingPointWouldRound() {
        // 49 / 49 against 1 / 1 ties, though in doubles 49 * (1.0 / 49) is not 1.0.
        assertEquals(0, LoadAwarePicker.compare(3, 3, 1, 1));
        assertEquals(0, LoadAwarePicker.compare(49, 49, 1, 1));
        assertEquals(0, LoadAwarePicker.compare(4, 2, 2, 1));
        assertEquals(-1, Integer.signum(LoadAwarePicker.compare(2, 3, 1, 1)));
        assertEquals(1, Integer.signum(LoadAwarePicker.compare(4, 3, 1, 1)));
        assertEquals(0L, LoadAwarePicker.lessMask(4, 2, 2, 1), "equal is not less");
        assertEquals(-1L, LoadAwarePicker.lessMask(3, 2, 2, 1));
    }

    @Test
    void costsAreWholeNumbersThatSaturateInsteadOfOverflowing() {
        TestBackend idle = new TestBackend("idle");
        assertEquals(1, Cost.LOAD.of(idle, Protocol.TCP));
        assertEquals(0, Cost.LATENCY.of(idle, Protocol.TCP), "unmeasured and idle costs nothing");
        TestBackend waiting = new TestBackend("waiting").activeConnections(2);
        assertEquals(3 * Cost.UNMEASURED_PENALTY, Cost.LATENCY.of(waiting, Protocol.TCP));
        TestBackend measured = new TestBackend("measured").inFlightRequests(4).latencyEwmaNanos(2_000_000)
                .peakLatencyEwmaNanos(3_000_000);
        assertEquals(10_000_000, Cost.LATENCY.of(measured, Protocol.HTTP));
        assertEquals(15_000_000, Cost.PEAK_LATENCY.of(measured, Protocol.HTTP));
        TestBackend flooded = new TestBackend("flooded").activeConnections(10_000);
        assertEquals(Long.MAX_VALUE, Cost.LATENCY.of(flooded, Protocol.TCP), "1e15 x 10001 saturates");
        TestBackend slow = new TestBackend("slow").activeConnections(Integer.MAX_VALUE - 1)
                .latencyEwmaNanos(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, Cost.LATENCY.of(slow, Protocol.TCP));
        TestBackend corrected = new TestBackend("corrected").activeConnections(-3);
        assertEquals(1, Cost.LOAD.of(corrected, Protocol.TCP), "a briefly negative counter counts as idle");
    }

    private static void assertAgreesWithBigInteger(long cost1, long weight1, long cost2, long weight2) {
        int expected = BigInteger.valueOf(cost1).multiply(BigInteger.valueOf(weight2))
                .compareTo(BigInteger.valueOf(cost2).multiply(BigInteger.valueOf(weight1)));
        String what = cost1 + "/" + weight1 + " vs " + cost2 + "/" + weight2;
        assertEquals(expected, Integer.signum(LoadAwarePicker.compare(cost1, weight1, cost2, weight2)), what);
        assertEquals(expected < 0 ? -1L : 0L, LoadAwarePicker.lessMask(cost1, weight1, cost2, weight2), what);
    }
}

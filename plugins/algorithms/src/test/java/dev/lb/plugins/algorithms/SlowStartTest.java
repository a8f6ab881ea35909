package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Picker;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import dev.lb.spi.testkit.TestPickContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slow start, with every pick at a set time ({@link TestPickContext#atNanoTime}): the ramp reads the pick's time from
 * its context, never the clock, so these shares do not depend on how fast the machine runs the test.
 */
class SlowStartTest {

    private static final long MINUTE = 60_000_000_000L;

    /** The time the picks of a test are made at (a real clock reading, so pickers built now see b ramping). */
    private final long now = System.nanoTime();
    /** A pick at {@link #now}. */
    private final TestPickContext atNow = Picks.TCP.atNanoTime(now);

    /** b joined half-way through a 10-minute window, as of {@link #now}: factor 0.5. */
    private List<TestBackend> halfRamped() {
        return List.of(new TestBackend("a"), new TestBackend("b").eligibleSinceNanos(now - 5 * MINUTE));
    }

    @Test
    void tableAlgorithmsGiveARampingBackendItsRampedShare() {
        for (AlgorithmProvider provider : List.of(new WeightedRoundRobinProvider(), new WeightedRandomProvider())) {
            Picker picker = Pools.picker(provider, MapPluginConfig.of("slow-start", "10m"), halfRamped());
            int n = 100_000;
            Map<String, Integer> counts = Pools.count(picker, atNow, n);
            // Weights 1:1 with b at half weight: b gets 0.5 / 1.5 of the picks.
            Shares.assertShare(1 / 3.0, counts.get("b"), n, 0.015);
            // At the window's end (by the picks' time, not the clock's) b has its full share.
            counts = Pools.count(picker, Picks.TCP.atNanoTime(now + 5 * MINUTE), n);
            Shares.assertShare(0.5, counts.get("b"), n, 0.015);
        }
    }

    @Test
    void leastConnectionsTreatsARampingBackendAsLighterWeighted() {
        List<TestBackend> backends = halfRamped();
        backends.get(0).activeConnections(2); // (2 + 1) / 1 = 3
        backends.get(1).activeConnections(1); // (1 + 1) / 0.5 = 4
        for (AlgorithmProvider provider : List.of(new LeastConnectionsProvider(),
                new WeightedLeastConnectionsProvider())) {
            Picker ramped = Pools.picker(provider, MapPluginConfig.of("slow-start", "10m"), backends);
            Picker plain = Pools.picker(provider, backends);
            assertEquals("a", ramped.pick(atNow).name(), provider.name());
            assertEquals("b", plain.pick(atNow).name(), provider.name());
            // A pick at the window's end finds the ramp over, and it stays over for earlier times too.
            assertEquals("b", ramped.pick(Picks.TCP.atNanoTime(now + 5 * MINUTE)).name(), provider.name());
            assertEquals("b", ramped.pick(atNow).name(), provider.name() + ": the ramp latched off");
        }
    }

    @Test
    void twoChoicesAlgorithmsPreferTheFullyWarmBackendOfEqualLoad() {
        for (AlgorithmProvider provider : List.of(new PowerOfTwoChoicesProvider(), new PeakEwmaProvider())) {
            List<TestBackend> backends = halfRamped();
            backends.forEach(b -> b.latencyMillis(3).inFlightRequests(2).activeConnections(2));
            Picker ramped = Pools.picker(provider, MapPluginConfig.of("slow-start", "10m"), backends);
            assertEquals(Map.of("a", 1000), Pools.count(ramped, atNow, 1000), provider.name());
            Map<String, Integer> plain = Pools.count(Pools.picker(provider, backends), atNow, 10_000);
            Shares.assertShare(0.5, plain.get("b"), 10_000, 0.03);
        }
    }

    @Test
    void aBrandNewBackendStartsAtTheFloorAndAFinishedRampCostsNothing() {
        List<TestBackend> backends = List.of(new TestBackend("a"), new TestBackend("new").eligibleSinceNanos(now));
        Picker picker = Pools.picker(new WeightedRandomProvider(), MapPluginConfig.of("slow-start", "1h"), backends);
        int n = 100_000;
        Map<String, Integer> counts = Pools.count(picker, atNow, n);
        // Factor 0.1 (the floor): 0.1 / 1.1 of the picks.
        Shares.assertShare(0.1 / 1.1, counts.get("new"), n, 0.01);

        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "10m"))
                .rampFor(new TestBackend[] {new TestBackend("old")});
        assertEquals(null, ramp, "no backend inside its window: no ramp at all");
    }

    @Test
    void aRampingShareGrowsLinearlyFromTheFloorInIntegerSteps() {
        long window = 10 * MINUTE;
        TestBackend[] backends = {new TestBackend("new").eligibleSinceNanos(now), new TestBackend("old")};
        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "10m")).rampFor(backends, now);
        assertTrue(ramp.ramping(0));
        assertTrue(!ramp.ramping(1), "a backend outside its window at build time never ramps in this snapshot");
        long full = ramp.full();
        assertTrue(full > SlowStart.MAX_STEPS / 2 && full <= SlowStart.MAX_STEPS, "steps: " + full);
        for (int percent = 0; percent <= 120; percent += 5) {
            long at = now + window / 100 * percent;
            double expected = Math.min(1.0, Math.max(SlowStart.FLOOR_PERCENT / 100.0, percent / 100.0));
            // Exact to within one step (1/32768 of the window at worst) and the rounding of the floor.
            assertEquals(expected, ramp.share(0, at) / (double) full, 2.0 / full, percent + "% of the window");
            assertEquals(full, ramp.share(1, at));
        }
        assertEquals(full, ramp.share(0, SlowStart.Ramp.OVER), "once over, every share is full");
    }

    @Test
    void loadAwareAlgorithmsShareLiveLoadByRampedWeight() {
        // Closed loop, equal latencies: b, half way through its ramp, counts as weight 0.5 against a's 1, so it holds
        // (and is sent) about a third of the work.
        for (AlgorithmProvider provider : List.of(new WeightedLeastConnectionsProvider(),
                new LeastResponseTimeProvider())) {
            List<TestBackend> backends = halfRamped();
            backends.forEach(b -> b.latencyMillis(4));
            Picker picker = Pools.picker(provider, MapPluginConfig.of("slow-start", "10m"), backends);
            Simulation.Result result = Simulation.closedLoop(picker, backends, 60, 60_000, atNow);
            Shares.assertShare(1 / 3.0, result.picks().get("b"), result.total(), 0.02);
        }
    }

    @Test
    void rampEndsWhenTheWindowClosesByThePicksTime() {
        long window = 1_000_000; // 1ms
        TestBackend[] backends = {new TestBackend("x").eligibleSinceNanos(now)};
        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "1ms")).rampFor(backends, now);
        assertNotNull(ramp, "x is inside its window as of now");
        long halfway = ramp.now(Picks.TCP.atNanoTime(now + window / 2));
        assertEquals(now + window / 2, halfway, "the time comes from the pick's context");
        assertEquals(0.5, ramp.share(0, halfway) / (double) ramp.full(), 2.0 / ramp.full());
        assertEquals(now + window - 1, ramp.now(Picks.TCP.atNanoTime(now + window - 1)), "still open");
        assertEquals(SlowStart.Ramp.OVER, ramp.now(Picks.TCP.atNanoTime(now + window)), "closed at the window's end");
        assertEquals(SlowStart.Ramp.OVER, ramp.now(atNow), "latched off: an earlier time does not reopen it");
        assertEquals(ramp.full(), ramp.share(0, ramp.now(atNow)));
    }

    @Test
    void aTimeThatWrapsAroundStillRamps() {
        // System.nanoTime() may be anywhere in the long range, so the window may straddle the wrap to negative.
        long start = Long.MAX_VALUE - MINUTE;
        TestBackend[] backends = {new TestBackend("x").eligibleSinceNanos(start)};
        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "10m")).rampFor(backends, start);
        long later = ramp.now(Picks.TCP.atNanoTime(start + 5 * MINUTE)); // wrapped: negative
        assertTrue(later < 0 && later != SlowStart.Ramp.OVER);
        assertEquals(0.5, ramp.share(0, later) / (double) ramp.full(), 2.0 / ramp.full());
        assertEquals(SlowStart.Ramp.OVER, ramp.now(Picks.TCP.atNanoTime(start + 10 * MINUTE)));
    }
}

package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Picker;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowStartTest {

    private static final long MINUTE = 60_000_000_000L;

    /** b joined half-way through a 10-minute window: factor 0.5 (the clock moves by far less than the tolerance). */
    private static List<TestBackend> halfRamped() {
        return List.of(new TestBackend("a"), new TestBackend("b").eligibleSinceNanos(System.nanoTime() - 5 * MINUTE));
    }

    @Test
    void tableAlgorithmsGiveARampingBackendItsRampedShare() {
        for (AlgorithmProvider provider : List.of(new WeightedRoundRobinProvider(), new WeightedRandomProvider())) {
            Picker picker = Pools.picker(provider, MapPluginConfig.of("slow-start", "10m"), halfRamped());
            int n = 100_000;
            Map<String, Integer> counts = Pools.count(picker, Picks.TCP, n);
            // Weights 1:1 with b at half weight: b gets 0.5 / 1.5 of the picks.
            Shares.assertShare(1 / 3.0, counts.get("b"), n, 0.015);
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
            assertEquals("a", ramped.pick(Picks.TCP).name(), provider.name());
            assertEquals("b", plain.pick(Picks.TCP).name(), provider.name());
        }
    }

    @Test
    void twoChoicesAlgorithmsPreferTheFullyWarmBackendOfEqualLoad() {
        for (AlgorithmProvider provider : List.of(new PowerOfTwoChoicesProvider(), new PeakEwmaProvider())) {
            List<TestBackend> backends = halfRamped();
            backends.forEach(b -> b.latencyMillis(3).inFlightRequests(2).activeConnections(2));
            Picker ramped = Pools.picker(provider, MapPluginConfig.of("slow-start", "10m"), backends);
            assertEquals(Map.of("a", 1000), Pools.count(ramped, Picks.TCP, 1000), provider.name());
            Map<String, Integer> plain = Pools.count(Pools.picker(provider, backends), Picks.TCP, 10_000);
            Shares.assertShare(0.5, plain.get("b"), 10_000, 0.03);
        }
    }

    @Test
    void aBrandNewBackendStartsAtTheFloorAndAFinishedRampCostsNothing() {
        List<TestBackend> backends = List.of(new TestBackend("a"), new TestBackend("new")
                .eligibleSinceNanos(System.nanoTime()));
        Picker picker = Pools.picker(new WeightedRandomProvider(), MapPluginConfig.of("slow-start", "1h"), backends);
        int n = 100_000;
        Map<String, Integer> counts = Pools.count(picker, Picks.TCP, n);
        // Factor 0.1 (the floor): 0.1 / 1.1 of the picks.
        Shares.assertShare(0.1 / 1.1, counts.get("new"), n, 0.01);

        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "10m"))
                .rampFor(new TestBackend[] {new TestBackend("old")});
        assertEquals(null, ramp, "no backend inside its window: no ramp at all");
    }

    @Test
    void aRampingShareGrowsLinearlyFromTheFloorInIntegerSteps() {
        long window = 10 * MINUTE;
        long start = System.nanoTime();
        TestBackend[] backends = {new TestBackend("new").eligibleSinceNanos(start), new TestBackend("old")};
        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "10m")).rampFor(backends);
        assertTrue(ramp.ramping(0));
        assertTrue(!ramp.ramping(1), "a backend outside its window at build time never ramps in this snapshot");
        long full = ramp.full();
        assertTrue(full > SlowStart.MAX_STEPS / 2 && full <= SlowStart.MAX_STEPS, "steps: " + full);
        for (int percent = 0; percent <= 120; percent += 5) {
            long now = start + window / 100 * percent;
            double expected = Math.min(1.0, Math.max(SlowStart.FLOOR_PERCENT / 100.0, percent / 100.0));
            // Exact to within one step (1/32768 of the window at worst) and the rounding of the floor.
            assertEquals(expected, ramp.share(0, now) / (double) full, 2.0 / full, percent + "% of the window");
            assertEquals(full, ramp.share(1, now));
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
            Simulation.Result result = Simulation.closedLoop(picker, backends, 60, 60_000);
            Shares.assertShare(1 / 3.0, result.picks().get("b"), result.total(), 0.02);
        }
    }

    @Test
    void rampEndsWhenTheWindowCloses() {
        TestBackend[] backends = {new TestBackend("x").eligibleSinceNanos(System.nanoTime())};
        SlowStart.Ramp ramp = SlowStart.read(MapPluginConfig.of("slow-start", "1ms")).rampFor(backends);
        assertTrue(ramp != null && ramp.share(0, System.nanoTime()) <= ramp.full());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ramp.now() != SlowStart.Ramp.OVER && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(SlowStart.Ramp.OVER, ramp.now(), "a 1ms ramp must end");
        assertEquals(ramp.full(), ramp.share(0, ramp.now()));
    }
}

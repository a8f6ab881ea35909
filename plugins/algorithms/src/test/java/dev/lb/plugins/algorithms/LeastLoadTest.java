package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Picker;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class LeastLoadTest {

    @Test
    void leastConnectionsFollowsConnectionCountsForTcp() {
        TestBackend a = new TestBackend("a").activeConnections(5);
        TestBackend b = new TestBackend("b").activeConnections(2);
        TestBackend c = new TestBackend("c").activeConnections(9);
        Picker picker = Pools.picker(new LeastConnectionsProvider(), List.of(a, b, c));
        assertEquals("b", picker.pick(Picks.TCP).name());
        b.activeConnections(6);
        assertEquals("a", picker.pick(Picks.TCP).name());
        c.activeConnections(0);
        assertEquals("c", picker.pick(Picks.TCP).name());
    }

    @Test
    void leastConnectionsUsesRequestsInFlightForHttp() {
        // b holds many idle keep-alive connections but no request: for HTTP it is the least loaded.
        TestBackend a = new TestBackend("a").activeConnections(1).inFlightRequests(1);
        TestBackend b = new TestBackend("b").activeConnections(20).inFlightRequests(0);
        Picker picker = Pools.picker(new LeastConnectionsProvider(), List.of(a, b));
        assertEquals("b", picker.pick(Picks.httpPlain()).name());
        assertEquals("a", picker.pick(Picks.TCP).name());
    }

    @Test
    void tiesAreBrokenRoundRobinNotAlwaysTheFirst() {
        TestBackend a = new TestBackend("a").activeConnections(3);
        TestBackend b = new TestBackend("b").activeConnections(1);
        TestBackend c = new TestBackend("c").activeConnections(4);
        TestBackend d = new TestBackend("d").activeConnections(1);
        TestBackend e = new TestBackend("e").activeConnections(1);
        for (var provider : List.of(new LeastConnectionsProvider(), new WeightedLeastConnectionsProvider(),
                new LeastResponseTimeProvider())) {
            Picker picker = Pools.picker(provider, List.of(a, b, c, d, e));
            StringBuilder picks = new StringBuilder();
            for (int i = 0; i < 9; i++) {
                picks.append(picker.pick(Picks.TCP).name());
            }
            assertEquals("bdebdebde", picks.toString(), provider.name());
        }
    }

    @Test
    void leastResponseTimeTiesOnExactlyEqualRatiosAndTheyTakeTurns() {
        // latency x (load + 1) / weight: 3 ms x 1 / 1 = 2 ms x 3 / 2 = 1.5 ms x 2 / 1 = 3 ms; busy: 3 ms x 2 / 1.
        TestBackend a = new TestBackend("a").latencyEwmaNanos(3_000_000);
        TestBackend b = new TestBackend("b", 2).latencyEwmaNanos(2_000_000).activeConnections(2);
        TestBackend busy = new TestBackend("busy").latencyEwmaNanos(3_000_000).activeConnections(1);
        TestBackend c = new TestBackend("c").latencyEwmaNanos(1_500_000).activeConnections(1);
        Picker picker = Pools.picker(new LeastResponseTimeProvider(), List.of(a, b, busy, c));
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            picks.append(picker.pick(Picks.TCP).name());
        }
        assertEquals("abcabca", picks.toString());
    }

    @Test
    void tiesTakeTurnsInPoolsBeyondOneMaskOfBackends() {
        // The exact scan remembers ties in a 64-bit mask; a larger pool takes a second pass: same turns either way.
        for (int size : new int[] {LeastCostPicker.ONE_PASS, LeastCostPicker.ONE_PASS + 1, 300}) {
            List<TestBackend> backends = Pools.backends(size);
            backends.forEach(b -> b.activeConnections(7));
            int[] idle = {0, size / 2, size - 1};
            for (int i : idle) {
                backends.get(i).activeConnections(1);
            }
            Picker picker = Pools.picker(new WeightedLeastConnectionsProvider(), MapPluginConfig.of("choices", "all"),
                    backends);
            for (int i = 0; i < 7; i++) {
                assertEquals(backends.get(idle[i % 3]).name(), picker.pick(Picks.TCP).name(), "pool of " + size);
            }
        }
    }

    @Test
    void weightedLeastConnectionsDividesLoadByWeight() {
        TestBackend big = new TestBackend("big", 5).activeConnections(9);   // (9 + 1) / 5 = 2
        TestBackend small = new TestBackend("small", 1).activeConnections(2); // (2 + 1) / 1 = 3
        Picker weighted = Pools.picker(new WeightedLeastConnectionsProvider(), List.of(big, small));
        Picker plain = Pools.picker(new LeastConnectionsProvider(), List.of(big, small));
        assertEquals("big", weighted.pick(Picks.TCP).name());
        assertEquals("small", plain.pick(Picks.TCP).name());
    }

    @Test
    void weightedTiesAreExactAndTakeTurns() {
        TestBackend big = new TestBackend("big", 2).activeConnections(3);     // (3 + 1) / 2 = 2
        TestBackend small = new TestBackend("small", 1).activeConnections(1); // (1 + 1) / 1 = 2
        TestBackend busy = new TestBackend("busy", 3).activeConnections(8);   // (8 + 1) / 3 = 3
        Picker picker = Pools.picker(new WeightedLeastConnectionsProvider(), List.of(busy, big, small));
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            picks.append(picker.pick(Picks.TCP).name()).append(' ');
        }
        assertEquals("big small big small ", picks.toString());
    }

    @Test
    void weightedLeastConnectionsSharesLiveLoadInProportionToWeight() {
        // A closed-loop simulation: each pick opens a connection, and a random open connection closes after each pick
        // once 60 are open. In steady state open connections, and so picks, follow the weights 3:2:1.
        List<TestBackend> backends = List.of(new TestBackend("a", 3), new TestBackend("b", 2),
                new TestBackend("c", 1));
        Picker picker = Pools.picker(new WeightedLeastConnectionsProvider(), backends);
        Simulation.Result result = Simulation.closedLoop(picker, backends, 60, 120_000);
        Shares.assertShare(0.5, result.picks().get("a"), result.total(), 0.02);
        Shares.assertShare(1 / 3.0, result.picks().get("b"), result.total(), 0.02);
        Shares.assertShare(1 / 6.0, result.picks().get("c"), result.total(), 0.02);
    }

    @Test
    void boundedChoicesSampleTheLeastLoadedOfThatManyRandomBackends() {
        // 1000 backends, all busy but one idle in ten: four draws miss every idle one only 0.9^4 of the time.
        List<TestBackend> backends = Pools.backends(1000);
        for (int i = 0; i < 1000; i++) {
            backends.get(i).activeConnections(i % 10 == 0 ? 0 : 50);
        }
        int n = 50_000;
        Picker picker = Pools.picker(new LeastConnectionsProvider(), MapPluginConfig.of("choices", "4"), backends);
        int idle = 0;
        for (int i = 0; i < n; i++) {
            TestBackend picked = (TestBackend) picker.pick(Picks.TCP);
            if (picked.activeConnections() == 0) {
                idle++;
            }
        }
        Shares.assertShare(1 - Math.pow(0.9, 4), idle, n, 0.01);
        // With at least as many choices as backends the exact scan is used: the minimum, ties round robin.
        List<TestBackend> few = List.of(new TestBackend("x").activeConnections(2),
                new TestBackend("y").activeConnections(1));
        Picker exact = Pools.picker(new LeastConnectionsProvider(), MapPluginConfig.of("choices", "2"), few);
        assertEquals(Map.of("y", 100), Pools.count(exact, Picks.TCP, 100));
    }

    @Test
    void byDefaultSmallPoolsAreScannedExactlyAndLargeOnesSampled() {
        // One idle backend among busy ones: the exact scan always finds it, four random draws only sometimes.
        for (int size : new int[] {LoadAwareProvider.EXACT_UP_TO, 100}) {
            List<TestBackend> backends = Pools.backends(size);
            backends.forEach(b -> b.activeConnections(50));
            backends.get(size / 2).activeConnections(0);
            String idle = backends.get(size / 2).name();
            int n = 10_000;
            int auto = Pools.count(Pools.picker(new LeastConnectionsProvider(), backends), Picks.TCP, n)
                    .getOrDefault(idle, 0);
            int all = Pools.count(Pools.picker(new LeastConnectionsProvider(), MapPluginConfig.of("choices", "all"),
                    backends), Picks.TCP, n).getOrDefault(idle, 0);
            assertEquals(n, all, "choices: all scans every backend at any size");
            if (size <= LoadAwareProvider.EXACT_UP_TO) {
                assertEquals(n, auto, "auto scans a pool of " + size + " exactly");
            } else {
                // Four draws without replacement of the first two: about 4/size of picks find the idle one.
                Shares.assertShare(4.0 / size, auto, n, 0.02);
            }
        }
    }

    @Test
    void leastResponseTimeSteersAwayFromASlowBackend() {
        TestBackend fast1 = new TestBackend("fast1").latencyMillis(2);
        TestBackend slow = new TestBackend("slow").latencyMillis(80);
        TestBackend fast2 = new TestBackend("fast2").latencyMillis(3);
        Picker picker = Pools.picker(new LeastResponseTimeProvider(), List.of(fast1, slow, fast2));
        Map<String, Integer> counts = Pools.count(picker, Picks.TCP, 1000);
        assertEquals(Map.of("fast1", 1000), counts);
        // Queued work counts too: 2 ms × (30 + 1) exceeds 3 ms × (0 + 1).
        fast1.activeConnections(30);
        assertEquals("fast2", picker.pick(Picks.TCP).name());
        // Under live load the slow backend still gets little: its expected wait is 27-40 times the others'.
        List<TestBackend> backends = List.of(fast1.activeConnections(0), slow, fast2);
        Simulation.Result result = Simulation.closedLoop(picker, backends, 30, 50_000);
        assertTrue(result.picks().getOrDefault("slow", 0) < result.total() / 50, result.picks().toString());
    }

    @Test
    void unmeasuredBackendGetsAFirstRequestButIsNotFlooded() {
        TestBackend measured = new TestBackend("measured").latencyMillis(5).activeConnections(3);
        TestBackend fresh = new TestBackend("fresh");
        Picker picker = Pools.picker(new LeastResponseTimeProvider(), List.of(measured, fresh));
        assertEquals("fresh", picker.pick(Picks.TCP).name());
        fresh.activeConnections(1); // waiting for its first answer
        assertEquals("measured", picker.pick(Picks.TCP).name());
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheMostLoadedAndFavoursTheLeast() {
        List<TestBackend> backends = List.of(new TestBackend("idle").activeConnections(0),
                new TestBackend("some").activeConnections(5), new TestBackend("busy").activeConnections(10));
        int n = 90_000;
        Map<String, Integer> counts = Pools.count(Pools.picker(new PowerOfTwoChoicesProvider(), backends),
                Picks.TCP, n);
        // Of the three equally likely pairs, idle wins two and some wins one; busy never wins.
        assertFalse(counts.containsKey("busy"));
        Shares.assertShare(2 / 3.0, counts.get("idle"), n, 0.01);
        Shares.assertShare(1 / 3.0, counts.get("some"), n, 0.01);
    }

    @Test
    void peakEwmaAvoidsTheSlowestAndWeighsLoad() {
        List<TestBackend> backends = List.of(new TestBackend("fast").latencyMillis(1),
                new TestBackend("medium").latencyMillis(4), new TestBackend("slow").latencyMillis(50));
        int n = 90_000;
        Map<String, Integer> counts = Pools.count(Pools.picker(new PeakEwmaProvider(), backends),
                Picks.httpPlain(), n);
        assertFalse(counts.containsKey("slow"));
        Shares.assertShare(2 / 3.0, counts.get("fast"), n, 0.01);
        // 1 ms × (9 + 1) in flight is worse than 4 ms × (0 + 1): medium now wins against fast.
        backends.get(0).inFlightRequests(9);
        Picker picker = Pools.picker(new PeakEwmaProvider(), backends.subList(0, 2));
        assertEquals("medium", picker.pick(Picks.httpPlain()).name());
    }

    @Test
    void everyLoadAwareAlgorithmPicksOnlyEligibleBackendsUnderConcurrentPicksAndChangingFigures() throws Exception {
        List<TestBackend> backends = Pools.backends(8);
        for (var provider : List.of(new LeastConnectionsProvider(), new WeightedLeastConnectionsProvider(),
                new LeastResponseTimeProvider(), new PeakEwmaProvider(), new PowerOfTwoChoicesProvider())) {
            List<TestBackend> eligible = backends.subList(2, 8);
            Picker picker = provider.create(MapPluginConfig.empty()).newPicker(
                    dev.lb.spi.PoolSnapshot.of("p", backends, eligible));
            Concurrently.run(4, () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    TestBackend churn = backends.get(random.nextInt(backends.size()));
                    churn.activeConnections(random.nextInt(10)).inFlightRequests(random.nextInt(10))
                            .latencyMillis(random.nextInt(5));
                    var picked = picker.pick(i % 2 == 0 ? Picks.TCP : Picks.httpPlain());
                    assertNotNull(picked);
                    assertTrue(eligible.contains(picked), provider.name() + " picked ineligible " + picked);
                }
            });
        }
    }
}

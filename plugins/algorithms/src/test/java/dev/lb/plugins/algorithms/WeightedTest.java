package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Picker;
import dev.lb.spi.testkit.TestBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeightedTest {

    private static List<TestBackend> fiveOneOne() {
        return List.of(new TestBackend("a", 5), new TestBackend("b", 1), new TestBackend("c", 1));
    }

    @Test
    void weightedRoundRobinInterleavesFiveOneOneSmoothly() {
        Picker picker = Pools.picker(new WeightedRoundRobinProvider(), fiveOneOne());
        StringBuilder sequence = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            sequence.append(picker.pick(Picks.TCP).name());
        }
        assertEquals("aabacaa".repeat(10), sequence.toString(), "nginx's smooth order, cycle after cycle");
        assertTrue(!sequence.toString().contains("aaaaa"));
    }

    @Test
    void weightedRoundRobinGivesExactSharesOverWholeCycles() {
        List<TestBackend> backends = List.of(new TestBackend("a", 3), new TestBackend("b", 6),
                new TestBackend("c", 9), new TestBackend("d", 1));
        int cycles = 1000;
        Map<String, Integer> counts = Pools.count(Pools.picker(new WeightedRoundRobinProvider(), backends),
                Picks.TCP, 19 * cycles);
        assertEquals(Map.of("a", 3 * cycles, "b", 6 * cycles, "c", 9 * cycles, "d", cycles), counts);
    }

    @Test
    void weightedRoundRobinStaysExactUnderFourConcurrentThreads() throws Exception {
        Picker picker = Pools.picker(new WeightedRoundRobinProvider(), fiveOneOne());
        int perThread = 7 * 25_000;
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        Concurrently.run(4, () -> {
            for (int i = 0; i < perThread; i++) {
                counts.computeIfAbsent(picker.pick(Picks.TCP).name(), n -> new AtomicInteger()).incrementAndGet();
            }
        });
        assertEquals(5 * 4 * 25_000, counts.get("a").get());
        assertEquals(4 * 25_000, counts.get("b").get());
        assertEquals(4 * 25_000, counts.get("c").get());
    }

    @Test
    void weightedRoundRobinScalesHugeWeightTotalsAndStillHonoursThem() {
        List<TestBackend> backends = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            backends.add(new TestBackend("b" + i, i % 2 == 0 ? 1000 : 499));
        }
        int n = 300_000;
        Map<String, Integer> counts = Pools.count(Pools.picker(new WeightedRoundRobinProvider(), backends),
                Picks.TCP, n);
        int heavy = 0;
        for (int i = 0; i < 1000; i += 2) {
            heavy += counts.getOrDefault("b" + i, 0);
        }
        // 749500 in all exceeds the cycle limit, so weights are scaled (1000:499 becomes about 90:45).
        Shares.assertShare(1000.0 / 1499, heavy, n, 0.01);
    }

    @Test
    void weightedRandomMatchesWeightsWithinOnePercent() {
        List<TestBackend> backends = List.of(new TestBackend("a", 5), new TestBackend("b", 1),
                new TestBackend("c", 1), new TestBackend("d", 3));
        int n = 200_000;
        Map<String, Integer> counts = Pools.count(Pools.picker(new WeightedRandomProvider(), backends),
                Picks.TCP, n);
        Shares.assertShare(0.5, counts.get("a"), n, 0.01);
        Shares.assertShare(0.1, counts.get("b"), n, 0.01);
        Shares.assertShare(0.1, counts.get("c"), n, 0.01);
        Shares.assertShare(0.3, counts.get("d"), n, 0.01);
    }

    @Test
    void aliasTableIsExactForUnevenWeights() {
        int[] weights = {1, 2, 3, 4, 90};
        AliasTable table = new AliasTable(weights);
        int[] counts = new int[weights.length];
        int n = 500_000;
        for (int i = 0; i < n; i++) {
            counts[table.next()]++;
        }
        for (int i = 0; i < weights.length; i++) {
            Shares.assertShare(weights[i] / 100.0, counts[i], n, 0.005);
        }
    }
}

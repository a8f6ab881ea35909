package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lb.spi.Algorithm;
import dev.lb.spi.Backend;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.Picker;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinAndRandomTest {

    @Test
    void roundRobinIsExactlyEvenUnderFourConcurrentThreads() throws Exception {
        List<TestBackend> backends = Pools.backends(7);
        Picker picker = Pools.picker(new RoundRobinProvider(), backends);
        int perThread = 7 * 20_000;
        Map<Backend, AtomicInteger> counts = new ConcurrentHashMap<>();
        Concurrently.run(4, () -> {
            for (int i = 0; i < perThread; i++) {
                counts.computeIfAbsent(picker.pick(Picks.TCP), b -> new AtomicInteger()).incrementAndGet();
            }
        });
        assertEquals(7, counts.size());
        // 4 × 140000 picks over 7 backends: the shared counter hands out each position once, so exactly 80000 each.
        counts.values().forEach(c -> assertEquals(4 * perThread / 7, c.get()));
    }

    @Test
    void roundRobinPicksOnlyEligibleBackendsAndKeepsItsPlaceAcrossSnapshots() {
        List<TestBackend> all = Pools.backends(3);
        Algorithm algorithm = new RoundRobinProvider().create(MapPluginConfig.empty());
        Picker first = algorithm.newPicker(PoolSnapshot.of("p", all, List.of(all.get(0), all.get(2))));
        assertEquals("b0", first.pick(Picks.TCP).name());
        assertEquals("b2", first.pick(Picks.TCP).name());
        assertEquals("b0", first.pick(Picks.TCP).name());
        Picker second = algorithm.newPicker(PoolSnapshot.of("p", all, all));
        assertEquals("b0", second.pick(Picks.TCP).name(), "position 3 of 3 wraps to the first");
        assertEquals("b1", second.pick(Picks.TCP).name());
        assertNull(algorithm.newPicker(PoolSnapshot.of("p", all, List.of())).pick(Picks.TCP));
    }

    @Test
    void randomIsUniformWithinOnePercent() {
        List<TestBackend> backends = Pools.backends(4);
        backends.set(0, new TestBackend("heavy", 10)); // random ignores weights
        Picker picker = Pools.picker(new RandomProvider(), backends);
        Map<String, Integer> counts = Pools.count(picker, Picks.TCP, 200_000);
        counts.values().forEach(c -> Shares.assertShare(0.25, c, 200_000, 0.01));
        assertNull(Pools.picker(new RandomProvider(), List.of()).pick(Picks.TCP));
    }
}

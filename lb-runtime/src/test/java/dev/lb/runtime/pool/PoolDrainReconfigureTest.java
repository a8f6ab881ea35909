package dev.lb.runtime.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Backend;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolDrainReconfigureTest {

    private static Set<String> picked(Pool pool, int times) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < times; i++) {
            Backend backend = pool.picker().pick(null);
            names.add(backend == null ? null : backend.name());
        }
        return names;
    }

    @Test
    void drainTakesABackendOutOfRotationAndEnablePutsItBack() {
        Pool pool = new Pool("app", TestBackends.named("a", "b"), new TestBackends.RoundRobin());
        assertTrue(pool.drain("b"));
        assertFalse(pool.drain("b"), "already draining");
        assertEquals("draining", pool.backend("b").orElseThrow().stateName());
        assertEquals(Set.of("a"), picked(pool, 6));
        assertTrue(pool.enable("b"));
        assertEquals(Set.of("a", "b"), picked(pool, 6));
        assertEquals("up", pool.backend("b").orElseThrow().stateName());
    }

    @Test
    void drainOfAnUnknownBackendSaysWhichExist() {
        Pool pool = new Pool("app", TestBackends.named("a", "b"), new TestBackends.RoundRobin());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.drain("c"));
        assertEquals("pool app has no backend named \"c\" (backends: a, b)", e.getMessage());
    }

    @Test
    void aDrainedBackendThatFailsAndRecoversStaysDrained() {
        Pool pool = new Pool("app", TestBackends.named("a", "b"), new TestBackends.RoundRobin());
        BackendState b = pool.backend("b").orElseThrow();
        pool.drain("b");
        pool.setHealthy(b, false);
        pool.setHealthy(b, true);
        assertEquals(Set.of("a"), picked(pool, 4));
        assertEquals(1, b.ejections());
    }

    @Test
    void reconfigureKeepsStateOfKeptBackendsAndClosesTheOldAlgorithm() {
        List<BackendState> first = TestBackends.named("a", "b");
        TestBackends.RoundRobin before = new TestBackends.RoundRobin();
        Pool pool = new Pool("app", first, before);
        BackendState a = first.get(0);
        pool.setHealthy(a, false);
        BackendState c = TestBackends.named("x", "y", "c").get(2);
        TestBackends.RoundRobin after = new TestBackends.RoundRobin();
        pool.reconfigure(List.of(a, c), after);
        assertSame(after, pool.algorithm());
        assertSame(pool, c.pool());
        assertFalse(a.isHealthy(), "a kept its health");
        assertEquals(Set.of("c"), picked(pool, 4));
        assertEquals(List.of("a", "c"), pool.backends().stream().map(BackendState::name).toList());
        assertThrows(IllegalArgumentException.class, () -> pool.reconfigure(List.of(), after));
    }
}

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
        pool.setHealthy(b, false, "probe failed");
        pool.setHealthy(b, true, "probe passed");
        assertEquals(Set.of("a"), picked(pool, 4));
        assertEquals(1, b.ejections());
    }

    @Test
    void reconfigureKeepsStateOfKeptBackendsAndClosesTheOldAlgorithm() {
        List<BackendState> first = TestBackends.named("a", "b");
        TestBackends.RoundRobin before = new TestBackends.RoundRobin();
        Pool pool = new Pool("app", first, before);
        BackendState a = first.get(0);
        pool.setHealthy(a, false, "probe failed");
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

    @Test
    void reconfigureDrainsRemovedBackendsAndTellsAddedAndEmptiedPools() {
        List<dev.lb.spi.HealthEvent> events = new java.util.ArrayList<>();
        List<BackendState> first = TestBackends.named("a", "b");
        Pool pool = new Pool("app", first, new TestBackends.RoundRobin());
        pool.events(events::add);
        BackendState a = first.get(0);
        BackendState b = first.get(1);
        pool.setEjected(a, true, "5 consecutive 5xx responses");
        events.clear();

        BackendState c = TestBackends.named("x", "c").get(1);
        pool.reconfigure(List.of(a, c), pool.algorithm());
        assertTrue(a.isEjected(), "a kept its ejection");
        assertTrue(b.isDraining(), "b was removed, so it drains");
        assertEquals(Set.of("c"), picked(pool, 4));
        assertEquals(List.of("backend-drained b", "backend-up c"), events.stream()
                .map(e -> e.type().configName() + " " + e.backend()).toList());

        events.clear();
        pool.setHealthy(c, false, "probe failed");
        assertEquals(List.of("backend-down c", "pool-empty null"), events.stream()
                .map(e -> e.type().configName() + " " + e.backend()).toList());
        events.clear();
        BackendState d = TestBackends.named("x", "y", "d").get(2);
        pool.reconfigure(List.of(a, c, d), pool.algorithm());
        assertEquals(List.of("backend-up d", "pool-recovered null"), events.stream()
                .map(e -> e.type().configName() + " " + e.backend()).toList());
        assertEquals(Set.of("d"), picked(pool, 4));
    }

    @Test
    void reconfigureRefusesABackendOfAnotherPool() {
        List<BackendState> other = TestBackends.named("z");
        new Pool("other", other, new TestBackends.RoundRobin());
        Pool pool = new Pool("app", TestBackends.named("a"), new TestBackends.RoundRobin());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.reconfigure(List.of(other.get(0)), pool.algorithm()));
        assertEquals("backend z already belongs to pool other; each pool needs its own backend instances",
                e.getMessage());
    }

    @Test
    void passiveHealthAndObserverBothReceiveEveryOutcomeWhicheverIsSetFirst() {
        for (boolean observerFirst : new boolean[] {true, false}) {
            List<BackendState> backends = TestBackends.named("a");
            Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
            List<String> health = new java.util.ArrayList<>();
            List<String> observed = new java.util.ArrayList<>();
            TrafficOutcomes healthListener = new TrafficOutcomes() {
                @Override
                public void responded(BackendState backend, int status) {
                    health.add(backend.name() + " " + status);
                }
            };
            TrafficOutcomes observer = new TrafficOutcomes() {
                @Override
                public void responded(BackendState backend, int status) {
                    observed.add(backend.name() + " " + status);
                }

                @Override
                public void picked(BackendState backend, int attempt) {
                    observed.add("picked " + backend.name() + " " + attempt);
                }
            };
            if (observerFirst) {
                pool.observeOutcomes(observer);
                pool.outcomes(healthListener);
            } else {
                pool.outcomes(healthListener);
                pool.observeOutcomes(observer);
            }
            pool.outcomes().picked(backends.get(0), 1);
            pool.outcomes().responded(backends.get(0), 503);
            assertEquals(List.of("a 503"), health);
            assertEquals(List.of("picked a 1", "a 503"), observed);
            assertSame(healthListener, pool.passiveHealth());
        }
    }
}

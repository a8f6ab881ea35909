package dev.lb.runtime.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Picker;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolTest {

    @Test
    void startsWithEveryBackendEligible() {
        TestBackends.RoundRobin algorithm = new TestBackends.RoundRobin();
        Pool pool = new Pool("app", TestBackends.named("a", "b"), algorithm);
        assertEquals(2, pool.snapshot().eligible().size());
        assertEquals(1, algorithm.pickersBuilt.get());
        assertTrue(pool.backends().stream().allMatch(BackendState::isHealthy));
    }

    @Test
    void healthChangesSwapInANewPickerAndReportPoolTransitions() {
        TestBackends.RoundRobin algorithm = new TestBackends.RoundRobin();
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, algorithm);
        BackendState a = backends.get(0);
        BackendState b = backends.get(1);
        Picker first = pool.picker();

        Pool.HealthTransition downA = pool.setHealthy(a, false, "down");
        assertTrue(downA.changed());
        assertFalse(downA.poolEmptied());
        assertNotSame(first, pool.picker());
        assertEquals(List.of(b), pool.snapshot().eligible());
        assertEquals(b, pool.picker().pick(null));

        assertFalse(pool.setHealthy(a, false, "down").changed(), "no change, no rebuild");
        assertEquals(2, algorithm.pickersBuilt.get());

        Pool.HealthTransition downB = pool.setHealthy(b, false, "down");
        assertTrue(downB.poolEmptied());
        assertEquals(null, pool.picker().pick(null));

        long before = a.eligibleSinceNanos();
        Pool.HealthTransition upA = pool.setHealthy(a, true, "up");
        assertTrue(upA.poolRecovered());
        assertTrue(upA.poolPreviousStateNanos() >= 0);
        assertTrue(a.eligibleSinceNanos() >= before);
        assertEquals(4, algorithm.pickersBuilt.get());
    }

    @Test
    void refusesAnEmptyPoolAndDuplicateNames() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> new Pool("app", List.of(), new TestBackends.RoundRobin()));
        assertEquals("pool app has no backend; configure at least one", empty.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Pool("app", TestBackends.named("a", "a"), new TestBackends.RoundRobin()));
    }
}

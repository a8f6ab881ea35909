package dev.lb.runtime.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.config.BackendConfig;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One combined state per backend: active health, ejection and drain, and the events their changes publish. */
class PoolStateTest {

    private final List<HealthEvent> events = new ArrayList<>();

    private Pool pool(List<BackendState> backends) {
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        pool.events(events::add);
        return pool;
    }

    private List<String> seen() {
        return events.stream().map(e -> e.type().configName() + " " + (e.backend() == null ? "-" : e.backend())
                + ": " + e.reason()).toList();
    }

    @Test
    void eligibleOnlyWhenHealthyNotEjectedAndNotDraining() {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = pool(backends);
        BackendState a = backends.get(0);

        assertTrue(pool.setEjected(a, true, "5 consecutive 5xx responses").changed());
        assertFalse(a.isEligible());
        assertEquals("ejected", a.stateName());
        assertEquals(List.of(backends.get(1)), pool.snapshot().eligible());

        // Health going down while ejected changes nothing for traffic: no event.
        assertFalse(pool.setHealthy(a, false, "3 probes failed").changed());
        assertFalse(pool.setEjected(a, false, "ejection ended").changed(), "still down: no return yet");
        assertFalse(a.isEligible());
        assertEquals("down", a.stateName());

        assertTrue(pool.setHealthy(a, true, "2 probes passed").changed());
        assertTrue(a.isEligible());
        assertEquals(List.of(
                "backend-down a: 5 consecutive 5xx responses",
                "backend-up a: 2 probes passed"), seen());
    }

    @Test
    void drainAndEnableByNameWithEvents() {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = pool(backends);
        BackendState a = backends.get(0);
        a.connectionOpened();

        assertTrue(pool.drain("a"));
        assertFalse(pool.drain("a"), "already draining");
        assertTrue(a.isDraining());
        assertEquals("draining", a.stateName());
        assertEquals(List.of(backends.get(1)), pool.snapshot().eligible());
        assertEquals(1, a.activeConnections(), "open connections are left to finish");

        long drainedAt = a.stateSinceNanos();
        assertTrue(pool.enable("a"));
        assertFalse(pool.enable("a"), "not draining");
        assertTrue(a.eligibleSinceNanos() >= drainedAt);
        assertEquals(2, pool.snapshot().eligible().size());
        assertEquals(List.of(
                "backend-drained a: drained by operator",
                "backend-up a: drain ended by operator"), seen());
        assertTrue(events.get(1).previousStateDuration().toNanos() >= 0);
    }

    @Test
    void drainingTheLastBackendEmptiesThePoolAndEnablingRecoversIt() {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = pool(backends);
        pool.setHealthy(backends.get(1), false, "3 probes failed: connection refused");
        pool.drain("a");
        pool.enable("a");
        assertEquals(List.of(
                "backend-down b: 3 probes failed: connection refused",
                "backend-drained a: drained by operator",
                "pool-empty -: no eligible backend left (last: a, drained by operator)",
                "backend-up a: drain ended by operator",
                "pool-recovered -: backend a is eligible again"), seen());
        assertEquals(EventType.POOL_EMPTY, events.get(2).type());
        assertEquals("app", events.get(2).pool());
    }

    @Test
    void drainOfABackendAlreadyDownIsStillToldAndEnablingItWaitsForHealth() {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = pool(backends);
        BackendState a = backends.get(0);
        pool.setHealthy(a, false, "down");
        pool.drain("a");
        pool.enable("a");
        assertFalse(a.isEligible(), "still down");
        pool.setHealthy(a, true, "2 probes passed");
        assertEquals(List.of("backend-down a: down", "backend-drained a: drained by operator",
                "backend-up a: 2 probes passed"), seen());
    }

    @Test
    void unknownBackendNameIsNamed() {
        Pool pool = pool(TestBackends.named("a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.drain("c"));
        assertEquals("pool app has no backend named \"c\" (backends: a, b)", e.getMessage());
    }

    @Test
    void backendConfiguredToDrainStartsOutOfRotationWithoutAnEvent() {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000);
        BackendState drained = new BackendState(new BackendConfig("a", address, 1, Map.of(), true));
        BackendState other = new BackendState(new BackendConfig("b", address, 1, Map.of()));
        Pool pool = pool(List.of(drained, other));
        assertTrue(drained.isDraining());
        assertEquals(List.of(other), pool.snapshot().eligible());
        assertTrue(events.isEmpty());
        pool.enable("a");
        assertEquals(2, pool.snapshot().eligible().size());
    }

    @Test
    void aFailingSinkDoesNotUndoTheChange() {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        pool.events(event -> {
            throw new IllegalStateException("sink broke");
        });
        pool.drain("a");
        assertEquals(List.of(backends.get(1)), pool.snapshot().eligible());
    }
}

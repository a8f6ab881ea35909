package dev.lb.runtime.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Algorithm;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5555);
    /** The time of the placements (any reading will do where a test does not look at it). */
    private static final long TIME = 42L;

    @Test
    void retriesNeverReturnABackendAlreadyTriedEvenWithAStickyPicker() {
        List<BackendState> backends = TestBackends.named("a", "b", "c");
        List<Integer> attempts = new ArrayList<>();
        // A hash-like picker: always the same backend, whatever the attempt.
        Algorithm sticky = snapshot -> context -> {
            attempts.add(context.attempt());
            return snapshot.eligible().get(1);
        };
        Pool pool = new Pool("app", backends, sticky);
        List<BackendState> tried = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            BackendState picked = BackendSelector.select(pool, CLIENT, Protocol.TCP, null, attempt, tried, TIME);
            assertTrue(!tried.contains(picked), "attempt " + attempt + " repeated " + picked);
            tried.add(picked);
        }
        assertEquals(List.of(backends.get(1), backends.get(0), backends.get(2)), tried);
        assertNull(BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 3, tried, TIME), "all tried");
        assertEquals(0, attempts.get(0));
        assertTrue(attempts.contains(2), "the attempt number reaches the picker");
    }

    @Test
    void usesThePickersChoiceWhenUntriedAndPassesTheContext() {
        List<BackendState> backends = TestBackends.named("a", "b");
        AtomicInteger calls = new AtomicInteger();
        Algorithm last = snapshot -> context -> {
            calls.incrementAndGet();
            assertEquals(CLIENT, context.clientAddress());
            assertEquals(Protocol.TCP, context.protocol());
            assertTrue(context.http().isEmpty());
            return snapshot.eligible().get(snapshot.eligible().size() - 1);
        };
        Pool pool = new Pool("app", backends, last);
        assertSame(backends.get(1), BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of(), TIME));
        assertEquals(1, calls.get());
    }

    @Test
    void everyPickOfAnAttemptSeesTheCallersTimeNotTheClock() {
        List<BackendState> backends = TestBackends.named("a", "b");
        List<Long> times = new ArrayList<>();
        // Sticky on a tried backend, so one attempt asks the picker several times.
        Algorithm sticky = snapshot -> context -> {
            times.add(context.nanoTime());
            return snapshot.eligible().get(0);
        };
        Pool pool = new Pool("app", backends, sticky);
        long time = 123_456_789L; // far from any clock reading
        assertSame(backends.get(0), BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of(), time));
        assertEquals(List.of(time), times);
        times.clear();
        assertSame(backends.get(1), BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 1,
                List.of(backends.get(0)), time + 1));
        assertEquals(List.of(time + 1, time + 1, time + 1), times, "each repick of the attempt, the same time");
    }

    @Test
    void noEligibleBackendGivesNull() {
        List<BackendState> backends = TestBackends.named("a");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        pool.setHealthy(backends.get(0), false, "test");
        assertNull(BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of(), TIME));
    }

    @Test
    void aPickerReturningAForeignBackendIsNamedAsAPluginBug() {
        BackendState stranger = TestBackends.named("x").get(0);
        Pool pool = new Pool("app", TestBackends.named("a"), snapshot -> (PickContext context) -> stranger);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of(), TIME));
        assertTrue(error.getMessage().contains("not one of the pool's backends"), error.getMessage());
    }
}

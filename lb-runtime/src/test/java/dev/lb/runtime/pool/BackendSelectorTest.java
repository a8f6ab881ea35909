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
            BackendState picked = BackendSelector.select(pool, CLIENT, Protocol.TCP, null, attempt, tried);
            assertTrue(!tried.contains(picked), "attempt " + attempt + " repeated " + picked);
            tried.add(picked);
        }
        assertEquals(List.of(backends.get(1), backends.get(0), backends.get(2)), tried);
        assertNull(BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 3, tried), "all tried");
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
        assertSame(backends.get(1), BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of()));
        assertEquals(1, calls.get());
    }

    @Test
    void noEligibleBackendGivesNull() {
        List<BackendState> backends = TestBackends.named("a");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        pool.setHealthy(backends.get(0), false, "test");
        assertNull(BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of()));
    }

    @Test
    void aPickerReturningAForeignBackendIsNamedAsAPluginBug() {
        BackendState stranger = TestBackends.named("x").get(0);
        Pool pool = new Pool("app", TestBackends.named("a"), snapshot -> (PickContext context) -> stranger);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> BackendSelector.select(pool, CLIENT, Protocol.TCP, null, 0, List.of()));
        assertTrue(error.getMessage().contains("not one of the pool's backends"), error.getMessage());
    }
}

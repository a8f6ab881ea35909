package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HealthL4Test {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void stoppedBackendLeavesAfterFallAndReturnsAfterRise() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                DummyTcpBackend c = DummyTcpBackend.start("c");
                // One connect attempt: a client sent to a stopped backend would be closed without an identity line.
                L4Proxy proxy = L4Proxy.builder(a, b, c).health(Duration.ofMillis(100), 2, 3).connectAttempts(1)
                        .start()) {
            InetSocketAddress address = proxy.address();
            b.stop();
            HealthEvent down = proxy.notifier.await(EventType.BACKEND_DOWN, "b", WAIT);
            assertEquals("3 probes failed: connection refused", down.reason());
            assertEquals("app", down.pool());
            assertEquals(b.address(), down.address());
            Pool pool = proxy.lb.pool("app");
            assertFalse(pool.backend("b").orElseThrow().isHealthy());

            Map<String, Integer> served = serve(address, 40);
            assertEquals(Map.of("a", 20, "c", 20), served, "no connection may go to the stopped backend");

            int mark = proxy.notifier.mark();
            b.restart();
            HealthEvent up = proxy.notifier.awaitAfter(mark, EventType.BACKEND_UP, "b", WAIT);
            assertEquals("2 probes passed", up.reason());
            assertTrue(up.previousStateDuration().compareTo(Duration.ZERO) > 0);
            List<EventType> order = proxy.notifier.events().stream().map(HealthEvent::type).toList();
            assertEquals(List.of(EventType.BACKEND_DOWN, EventType.BACKEND_UP), order);

            Map<String, Integer> after = serve(address, 30);
            assertEquals(Map.of("a", 10, "b", 10, "c", 10), after);
        }
    }

    @Test
    void refusingBackendStillInRotationCostsClientsNothing() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                DummyTcpBackend c = DummyTcpBackend.start("c");
                L4Proxy proxy = L4Proxy.builder(a, b, c).connectAttempts(3).start()) {
            b.stop();
            Map<String, Integer> served = serve(proxy.address(), 60);
            assertEquals(60, served.values().stream().mapToInt(Integer::intValue).sum());
            assertEquals(java.util.Set.of("a", "c"), served.keySet(), "every client served by a live backend");
            assertTrue(proxy.lb.pool("app").backend("b").orElseThrow().isHealthy(), "no health check: b stays in");
        }
    }

    @Test
    void backendThatNeverAnswersCostsOneConnectTimeoutThenFailsOver() throws Exception {
        // A listener whose accept queue is full drops SYNs: a real connect timeout on loopback.
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket fill1 = new Socket(blackhole.getInetAddress(), blackhole.getLocalPort());
                Socket fill2 = new Socket(blackhole.getInetAddress(), blackhole.getLocalPort());
                DummyTcpBackend a = DummyTcpBackend.start("a");
                L4Proxy proxy = L4Proxy.builder(a)
                        .firstBackend("blackhole", (InetSocketAddress) blackhole.getLocalSocketAddress())
                        .connectTimeout(Duration.ofMillis(300)).connectAttempts(2).start()) {
            assertTrue(fill1.isConnected() && fill2.isConnected(), "the blackhole's accept queue is full");
            long started = System.nanoTime();
            assertEquals("a", Client.identityThrough(proxy.address()), "round robin tries the blackhole first");
            long took = System.nanoTime() - started;
            assertTrue(took >= Duration.ofMillis(250).toNanos(), "waited for the connect timeout: " + took);
            BackendState hole = proxy.lb.pool("app").backend("blackhole").orElseThrow();
            assertEquals(0, hole.latencyEwmaNanos(), "a failed connect is not a latency sample");
            assertTrue(proxy.lb.pool("app").backend("a").orElseThrow().latencyEwmaNanos() > 0);
        }
    }

    @Test
    void emptyPoolClosesClientsAtOnceAndRecovers() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                L4Proxy proxy = L4Proxy.builder(a, b).health(Duration.ofMillis(100), 1, 1).start()) {
            a.stop();
            b.stop();
            HealthEvent empty = proxy.notifier.await(EventType.POOL_EMPTY, null, WAIT);
            assertTrue(empty.reason().startsWith("no eligible backend left"), empty.reason());

            long started = System.nanoTime();
            try (Client client = new Client(proxy.address())) {
                assertEquals(-1, client.in.read(), "the proxy closes the client without data");
            }
            // Closed at once, not by a connect timeout (2s) or the idle timeout (1m).
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(1500)) < 0);

            int mark = proxy.notifier.mark();
            a.restart();
            proxy.notifier.awaitAfter(mark, EventType.POOL_RECOVERED, null, WAIT);
            assertEquals("a", Client.identityThrough(proxy.address()));
        }
    }

    private static Map<String, Integer> serve(InetSocketAddress address, int connections) throws IOException {
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            String identity = Client.identityThrough(address);
            served.merge(identity == null ? "<closed>" : identity, 1, Integer::sum);
        }
        return served;
    }
}

package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.bed.EventRecorder;
import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.junit.Harness;
import dev.lb.harness.junit.LoadBalancerTest;
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
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@LoadBalancerTest
@Timeout(60)
class HealthL4Test {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void stoppedBackendLeavesAfterFallAndReturnsAfterRise(Harness harness) throws Exception {
        // Direct: the dummy process itself stops. One connect attempt: a client sent to a stopped backend would be
        // closed without an identity line.
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(3).health(Duration.ofMillis(100), 2, 3)
                .connectAttempts(1));
        TestBackend b = bed.backend("b");
        EventRecorder events = bed.events();
        b.server().stop();
        HealthEvent down = events.await(EventType.BACKEND_DOWN, "b", WAIT);
        assertEquals("3 probes failed: connection refused", down.reason());
        assertEquals("app", down.pool());
        assertEquals(b.address(), down.address());
        Pool pool = bed.pool();
        assertFalse(pool.backend("b").orElseThrow().isHealthy());

        Map<String, Integer> served = serve(bed.address(), 40);
        assertEquals(Map.of("a", 20, "c", 20), served, "no connection may go to the stopped backend");

        int mark = events.mark();
        b.server().restart();
        HealthEvent up = events.awaitAfter(mark, EventType.BACKEND_UP, "b", WAIT);
        assertEquals("2 probes passed", up.reason());
        assertTrue(up.previousStateDuration().compareTo(Duration.ZERO) > 0);
        List<EventType> order = events.events().stream().map(HealthEvent::type).toList();
        assertEquals(List.of(EventType.BACKEND_DOWN, EventType.BACKEND_UP), order);

        Map<String, Integer> after = serve(bed.address(), 30);
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), after);
    }

    @Test
    void linkDownBehindToxiproxyLeavesAndReturnsTheSameWay(Harness harness) throws Exception {
        TestBed bed = harness.start(LbSpec.tcp().backends(3).health(Duration.ofMillis(100), 2, 3).connectAttempts(1));
        TestBackend b = bed.backend("b");
        b.link().down();
        HealthEvent down = bed.events().await(EventType.BACKEND_DOWN, "b", WAIT);
        assertEquals("3 probes failed: connection refused", down.reason());
        assertEquals(b.link().address(), down.address(), "the balancer knows the backend by its proxy");
        assertEquals(Map.of("a", 20, "c", 20), serve(bed.address(), 40));
        int mark = bed.events().mark();
        b.link().up();
        bed.events().awaitAfter(mark, EventType.BACKEND_UP, "b", WAIT);
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), serve(bed.address(), 30));
        assertTrue(b.server().isRunning(), "the backend itself never stopped");
    }

    @Test
    void refusingBackendStillInRotationCostsClientsNothing(Harness harness) throws Exception {
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(3).connectAttempts(3));
        bed.backend("b").server().stop();
        Map<String, Integer> served = serve(bed.address(), 60);
        assertEquals(60, served.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(Set.of("a", "c"), served.keySet(), "every client served by a live backend");
        assertTrue(bed.backend("b").inRotation(), "no health check: b stays in");
    }

    @Test
    void backendThatNeverAnswersCostsOneConnectTimeoutThenFailsOver(Harness harness) throws Exception {
        // A listener whose accept queue is full drops SYNs: a real connect timeout on loopback.
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket fill1 = new Socket(blackhole.getInetAddress(), blackhole.getLocalPort());
                Socket fill2 = new Socket(blackhole.getInetAddress(), blackhole.getLocalPort())) {
            TestBed bed = harness.startDirect(LbSpec.tcp().backends(1)
                    .externalBackend("blackhole", (InetSocketAddress) blackhole.getLocalSocketAddress())
                    .connectTimeout(Duration.ofMillis(300)).connectAttempts(2));
            assertTrue(fill1.isConnected() && fill2.isConnected(), "the blackhole's accept queue is full");
            long started = System.nanoTime();
            assertEquals("a", Client.identityThrough(bed.address()), "round robin tries the blackhole first");
            long took = System.nanoTime() - started;
            assertTrue(took >= Duration.ofMillis(250).toNanos(), "waited for the connect timeout: " + took);
            BackendState hole = bed.pool().backend("blackhole").orElseThrow();
            assertEquals(0, hole.latencyEwmaNanos(), "a failed connect is not a latency sample");
            assertTrue(bed.backend("a").state().latencyEwmaNanos() > 0);
        }
    }

    @Test
    void emptyPoolClosesClientsAtOnceAndRecovers(Harness harness) throws Exception {
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(2).health(Duration.ofMillis(100), 1, 1));
        bed.backend("a").server().stop();
        bed.backend("b").server().stop();
        HealthEvent empty = bed.events().await(EventType.POOL_EMPTY, null, WAIT);
        assertTrue(empty.reason().startsWith("no eligible backend left"), empty.reason());

        long started = System.nanoTime();
        try (Client client = new Client(bed.address())) {
            assertEquals(-1, client.in.read(), "the proxy closes the client without data");
        }
        // Closed at once, not by a connect timeout (3s) or the idle timeout (10m).
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(1500)) < 0);

        int mark = bed.events().mark();
        bed.backend("a").server().restart();
        bed.events().awaitAfter(mark, EventType.POOL_RECOVERED, null, WAIT);
        assertEquals("a", Client.identityThrough(bed.address()));
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

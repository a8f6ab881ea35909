package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.TrafficOutcomes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the HTTP listener tells the pool: traffic outcomes for passive health, in-flight requests and latency for
 * least-* algorithms; and the limits on connections, and a graceful drain on shutdown.
 */
@Timeout(60)
class TrafficAccountingTest {

    /** Records outcomes as text, e.g. {@code responded a 200}. */
    static final class Recorder implements TrafficOutcomes {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void connected(BackendState backend) {
            seen.add("connected " + backend.name());
        }

        @Override
        public void connectFailed(BackendState backend, Throwable cause) {
            seen.add("connectFailed " + backend.name());
        }

        @Override
        public void resetBeforeResponse(BackendState backend) {
            seen.add("reset " + backend.name());
        }

        @Override
        public void responded(BackendState backend, int status) {
            seen.add("responded " + backend.name() + " " + status);
        }
    }

    @Test
    void outcomesAreReportedToThePool() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                DummyHttpBackend c = DummyHttpBackend.start("c");
                DummyHttpBackend d = DummyHttpBackend.start("d");
                HttpProxy proxy = HttpProxy.builder(a, b, c, d).algorithm(RoutingAlgorithm.NAME).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            Recorder recorder = new Recorder();
            proxy.lb.pool("app").outcomes(recorder);
            b.failWith(503);
            c.stop();
            send(client, proxy, "/to/a");
            send(client, proxy, "/to/b");
            send(client, proxy, "/to/c"); // refused, then placed on the first untried eligible backend: a
            d.dropConnections(true);
            HttpResponse<String> dropped = client.send(HttpRequest.newBuilder(proxy.uri("/to/d/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, dropped.statusCode());
            assertEquals(List.of("connected a", "responded a 200", "connected b", "responded b 503",
                    "connectFailed c", "responded a 200", "connected d", "reset d"), recorder.seen,
                    "the third request reused a's kept-alive connection");
        }
    }

    private static void send(HttpClient client, HttpProxy proxy, String path) throws Exception {
        client.send(HttpRequest.newBuilder(proxy.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inFlightRequestsAndLatencyAreKeptPerBackend() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            BackendState state = proxy.lb.pool("app").backend("a").orElseThrow();
            a.delay(Duration.ofMillis(400));
            List<CompletableFuture<HttpResponse<String>>> pending = List.of(
                    client.sendAsync(HttpRequest.newBuilder(proxy.uri("/1")).build(),
                            HttpResponse.BodyHandlers.ofString()),
                    client.sendAsync(HttpRequest.newBuilder(proxy.uri("/2")).build(),
                            HttpResponse.BodyHandlers.ofString()));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (state.inFlightRequests() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, state.inFlightRequests());
            assertEquals(2, state.activeConnections());
            for (CompletableFuture<HttpResponse<String>> response : pending) {
                assertEquals(200, response.get().statusCode());
            }
            assertEquals(0, state.inFlightRequests());
            assertEquals(2, state.activeConnections(), "both connections stay open, idle in the pool");
            assertTrue(state.latencyEwmaNanos() >= Duration.ofMillis(300).toNanos(),
                    "latency is the time to the first response byte: " + state.latencyEwmaNanos());
        }
    }

    @Test
    void aBackendAtItsConnectionLimitIsSkippedAndAllFullIs503() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withConnectionLimits(100, 1)).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.delay(Duration.ofMillis(1500));
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/slow")).build(), HttpResponse.BodyHandlers.ofString());
            BackendState state = proxy.lb.pool("app").backend("a").orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (state.inFlightRequests() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(proxy.uri("/more")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode());
            assertEquals(200, slow.get().statusCode());
            assertEquals(1, a.totalConnections());
        }
    }

    @Test
    void clientConnectionsBeyondTheLimitAreRefused() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withConnectionLimits(1, 10)).start();
                RawClient first = new RawClient(proxy.address())) {
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, first.readResponse().status());
            try (RawClient second = new RawClient(proxy.address())) {
                second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(second.closedByPeer(), "the second connection is closed without an answer");
            }
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, first.readResponse().status());
        }
    }

    @Test
    void shutdownClosesIdleKeepAliveConnectionsAndFinishesRequestsInProgress() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpClient client = BasicHttpProxyTest.client()) {
            HttpProxy proxy = HttpProxy.builder(a).start();
            try (RawClient idle = new RawClient(proxy.address())) {
                idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, idle.readResponse().status());
                a.delay(Duration.ofMillis(800));
                CompletableFuture<HttpResponse<String>> busy = client.sendAsync(
                        HttpRequest.newBuilder(proxy.uri("/busy")).build(), HttpResponse.BodyHandlers.ofString());
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (a.requests() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(2, a.requests(), "the busy request reached the backend");
                long started = System.nanoTime();
                assertTrue(proxy.lb.close(Duration.ofSeconds(20)), "every connection finished within the drain");
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 10_000, "the idle keep-alive connection did not hold shutdown: " + millis + "ms");
                HttpResponse<String> answered = busy.get();
                assertEquals(200, answered.statusCode());
                assertTrue(idle.closedByPeer());
            }
        }
    }
}

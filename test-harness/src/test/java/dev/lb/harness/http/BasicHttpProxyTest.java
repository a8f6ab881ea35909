package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.pool.BackendState;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET and POST with keep-alive on both sides, the picker's view of requests, and header rewriting. */
@Timeout(60)
class BasicHttpProxyTest {

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void getsAndPostsReuseOneConnectionOnEachSide() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = client()) {
            long posted = 0;
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> get = client.send(HttpRequest.newBuilder(proxy.uri("/get/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, get.statusCode());
                assertEquals("Hello from " + a + "\n", get.body());
                String body = "payload-" + i + "-".repeat(i * 100);
                posted += body.length();
                HttpResponse<String> post = client.send(HttpRequest.newBuilder(proxy.uri("/post"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, post.statusCode());
                assertEquals(body.length(), a.lastRequest().bodyBytes());
            }
            assertEquals(40, a.requests());
            assertEquals(posted, a.bodyBytesReceived());
            assertEquals(1, a.totalConnections(), "the proxy reused one backend connection for 40 requests");
            assertEquals(1, proxy.lb.openConnections(), "the client kept one connection to the proxy");
            assertEquals(1, proxy.lb.pool("app").backend("a").orElseThrow().activeConnections());
            assertEquals(0, proxy.lb.pool("app").backend("a").orElseThrow().inFlightRequests());
        }
    }

    @Test
    void idleBackendConnectionsAreClosedAfterTheBackendIdleTimeout() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .http(h -> h.withBackendIdleTimeout(Duration.ofMillis(300))).start();
                HttpClient client = client()) {
            assertEquals(200, client.send(HttpRequest.newBuilder(proxy.uri("/1")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, client.send(HttpRequest.newBuilder(proxy.uri("/2")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(1, a.totalConnections(), "reused within the timeout");
            BackendState state = proxy.lb.pool("app").backend("a").orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (state.activeConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, state.activeConnections(), "the proxy closed the idle connection");
            assertEquals(200, client.send(HttpRequest.newBuilder(proxy.uri("/3")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(2, a.totalConnections(), "a new connection after the timeout");
        }
    }

    @Test
    void roundRobinSpreadsRequestsOfOneClientConnection() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).start();
                HttpClient client = client()) {
            for (int i = 0; i < 10; i++) {
                client.send(HttpRequest.newBuilder(proxy.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(5, a.requests());
            assertEquals(5, b.requests());
            assertEquals(1, a.totalConnections());
            assertEquals(1, b.totalConnections());
        }
    }

    @Test
    void thePickerSeesMethodPathQueryHostHeadersCookiesAndClient() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).algorithm(RoutingAlgorithm.NAME).start();
                HttpClient client = client()) {
            HttpResponse<String> byHeader = client.send(HttpRequest.newBuilder(proxy.uri("/x/y?q=1&r=2"))
                    .header("X-Route", "b").header("X-Tag", "one").header("X-Tag", "two")
                    .header("Cookie", "session=s1; route=a").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("b", byHeader.headers().firstValue("X-Backend").orElseThrow());
            RoutingAlgorithm.Seen seen = RoutingAlgorithm.LAST.get();
            assertEquals("127.0.0.1", seen.client());
            assertEquals("GET", seen.method());
            assertEquals("/x/y", seen.path());
            assertEquals("q=1&r=2", seen.query());
            assertEquals("127.0.0.1:" + proxy.address().getPort(), seen.host());
            assertEquals("b", seen.route());
            assertEquals(List.of("one", "two"), seen.tags());
            assertEquals("a", seen.cookie());
            assertEquals(0, seen.attempt());

            HttpResponse<String> byCookie = client.send(HttpRequest.newBuilder(proxy.uri("/"))
                    .header("Cookie", "route=b").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("b", byCookie.headers().firstValue("X-Backend").orElseThrow());
            HttpResponse<String> byPath = client.send(HttpRequest.newBuilder(proxy.uri("/to/b/page"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("b", byPath.headers().firstValue("X-Backend").orElseThrow());
            assertEquals("DELETE", RoutingAlgorithm.LAST.get().method());
            HttpResponse<String> fallback = client.send(HttpRequest.newBuilder(proxy.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("a", fallback.headers().firstValue("X-Backend").orElseThrow());
        }
    }

    @Test
    void forwardingHeadersAreSetHopByHopOnesRemovedAndHostKept() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                RawClient raw = new RawClient(proxy.address())) {
            raw.send("GET /h HTTP/1.1\r\nHost: example.test\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: s\r\nKeep-Alive: timeout=5\r\nX-Forwarded-For: 10.0.0.1\r\nTE: trailers\r\n"
                    + "Via: 1.1 edge\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertEquals(200, response.status());
            assertEquals("1.1 lb", response.header("via"));
            DummyHttpBackend.Request seen = a.lastRequest();
            assertEquals("example.test", seen.header("host"));
            assertEquals("10.0.0.1, 127.0.0.1", seen.header("x-forwarded-for"));
            assertEquals("http", seen.header("x-forwarded-proto"));
            assertEquals("example.test", seen.header("x-forwarded-host"));
            assertEquals("1.1 edge, 1.1 lb", seen.header("via"));
            assertNull(seen.header("x-secret"), "a header named in Connection is hop-by-hop");
            assertNull(seen.header("keep-alive"));
            assertNull(seen.header("te"));
            assertNull(seen.header("connection"));
        }
    }

    @Test
    void hostCanBeTheBackendsAndForwardingHeadersCanBeOff() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withRewriting(false, false)).start();
                HttpClient client = client()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("via").isEmpty());
            DummyHttpBackend.Request seen = a.lastRequest();
            assertEquals("127.0.0.1:" + a.address().getPort(), seen.header("host"));
            assertNull(seen.header("x-forwarded-for"));
            assertNull(seen.header("via"));
            assertNotNull(seen.header("user-agent"));
        }
    }
}

package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each failure maps to the status users expect, with a short plain body. */
@Timeout(60)
class ErrorStatusTest {

    private static HttpResponse<String> get(HttpClient client, HttpProxy proxy, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badGatewayWhenEveryBackendRefuses() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b")) {
            a.stop();
            b.stop();
            try (HttpProxy proxy = HttpProxy.builder(a, b).start(); HttpClient client = BasicHttpProxyTest.client()) {
                HttpResponse<String> response = get(client, proxy, "/");
                assertEquals(502, response.statusCode());
                assertEquals("502 Bad Gateway\n", response.body());
                assertEquals("text/plain", response.headers().firstValue("content-type").orElseThrow());
            }
        }
    }

    @Test
    void serviceUnavailableWhenNoBackendIsHealthy() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a")) {
            a.stop();
            try (HttpProxy proxy = HttpProxy.builder(a).health(Duration.ofMillis(100)).start();
                    HttpClient client = BasicHttpProxyTest.client()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!proxy.lb.pool("app").snapshot().eligible().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(proxy.lb.pool("app").snapshot().eligible().isEmpty(), "the health check took a down");
                HttpResponse<String> response = get(client, proxy, "/");
                assertEquals(503, response.statusCode());
                assertEquals("503 Service Unavailable\n", response.body());
                // The connection is kept: the request was read whole.
                try (RawClient raw = new RawClient(proxy.address())) {
                    for (int i = 0; i < 2; i++) {
                        raw.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
                        RawClient.Response again = raw.readResponse();
                        assertEquals(503, again.status());
                        assertEquals(null, again.header("connection"));
                    }
                }
            }
        }
    }

    @Test
    void gatewayTimeoutWhenTheBackendIsTooSlow() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .http(h -> h.withTimeouts(h.headerTimeout(), Duration.ofMillis(300))).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.delay(Duration.ofSeconds(3));
            HttpResponse<String> response = get(client, proxy, "/slow");
            assertEquals(504, response.statusCode());
            assertEquals("504 Gateway Timeout\n", response.body());
            a.delay(Duration.ZERO);
            assertEquals(200, get(client, proxy, "/fast").statusCode(), "the client connection is still usable");
        }
    }

    @Test
    void aFailingAlgorithmCostsOneRequestOnly() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).algorithm(RoutingAlgorithm.NAME).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            HttpResponse<String> failed = client.send(HttpRequest.newBuilder(proxy.uri("/")).header("X-Fail", "1")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, failed.statusCode());
            assertEquals(200, get(client, proxy, "/").statusCode());
            assertEquals(1, proxy.lb.openConnections(), "the client connection survived");
        }
    }

    @Test
    void gatewayTimeoutWhenNoBackendAcceptsTheConnectInTime() throws Exception {
        // A listener whose accept queue is full drops SYNs: a real connect timeout on loopback.
        try (java.net.ServerSocket blackhole = new java.net.ServerSocket(0, 1,
                        java.net.InetAddress.getLoopbackAddress());
                java.net.Socket fill1 = new java.net.Socket(blackhole.getInetAddress(), blackhole.getLocalPort());
                java.net.Socket fill2 = new java.net.Socket(blackhole.getInetAddress(), blackhole.getLocalPort());
                HttpProxy proxy = HttpProxy.builder()
                        .firstBackend("blackhole", (java.net.InetSocketAddress) blackhole.getLocalSocketAddress())
                        .connectTimeout(Duration.ofMillis(300)).connectAttempts(1).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            HttpResponse<String> response = get(client, proxy, "/");
            assertEquals(504, response.statusCode());
            assertEquals("504 Gateway Timeout\n", response.body());
        }
    }

    @Test
    void aBackendDyingMidResponseCutsTheClientOffRatherThanEndingTheBodyEarly() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(
                    proxy.uri(DummyHttpBackend.BYTES_PATH + "?n=" + (512L * 1024 * 1024))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            try (java.io.InputStream in = response.body()) {
                while (read < 1024 * 1024) {
                    read += in.readNBytes(buffer, 0, buffer.length);
                }
                a.stop();
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
                    while (in.read(buffer) >= 0) {
                        // the rest, until the connection is cut
                    }
                }, "the client sees a truncated body, never a short one that looks complete");
            }
        }
    }

    @Test
    void backendStatusesPassThroughUntouched() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.failWith(500);
            HttpResponse<String> response = get(client, proxy, "/");
            assertEquals(500, response.statusCode());
            assertTrue(response.body().contains("from a"), response.body());
        }
    }

    @Test
    void oversizedHeadsAndBodiesAndMalformedRequestsAreRefused() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withLimits(4096, 1000)).start()) {
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(8000) + "\r\n\r\n");
                RawClient.Response response = raw.readResponse();
                assertEquals(431, response.status());
                assertEquals("431 Request Header Fields Too Large\n", response.body());
                assertTrue(raw.closedByPeer());
            }
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "p".repeat(5000));
                assertEquals(413, raw.readResponse().status());
            }
            try (RawClient raw = new RawClient(proxy.address())) {
                // Chunked, so the size is only known as it streams: refused when it passes the limit.
                raw.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3e8\r\n" + "c".repeat(1000) + "\r\n" + "3e8\r\n" + "c".repeat(1000) + "\r\n0\r\n\r\n");
                assertEquals(413, raw.readResponse().status());
            }
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n");
                assertEquals(400, raw.readResponse().status());
            }
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(414, raw.readResponse().status());
            }
            assertEquals(0, a.requests(), "nothing refused reached the backend");
        }
    }
}

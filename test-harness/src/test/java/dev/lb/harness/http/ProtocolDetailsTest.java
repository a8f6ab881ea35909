package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HEAD, HTTP/1.0, pipelining, and a chunked upload with {@code Expect: 100-continue} from curl. */
@Timeout(60)
class ProtocolDetailsTest {

    @Test
    void headGetsTheHeadOnly() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                RawClient raw = new RawClient(proxy.address())) {
            raw.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = raw.readResponseHeadOnly();
            assertEquals(200, head.status());
            assertEquals(String.valueOf(("Hello from " + a + "\n").length()), head.header("content-length"));
            // The next response on the same connection is read correctly: the HEAD answer had no body.
            raw.send("GET /g HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response get = raw.readResponse();
            assertEquals(200, get.status());
            assertEquals("Hello from " + a + "\n", get.body());
            assertEquals(1, a.totalConnections());
        }
    }

    @Test
    void http10ClientsAreAnsweredAndClosedUnlessTheyAskForKeepAlive() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start()) {
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET /old HTTP/1.0\r\n\r\n");
                RawClient.Response response = raw.readResponse();
                assertEquals(200, response.status());
                assertEquals("close", response.header("connection"));
                assertTrue(raw.closedByPeer());
            }
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                RawClient.Response first = raw.readResponse();
                assertEquals("keep-alive", first.header("connection"));
                raw.send("GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals(200, raw.readResponse().status());
            }
            // The backend side is HTTP/1.1 with keep-alive whatever the client speaks: one pooled connection per
            // event loop (the proxy runs two) served all three requests.
            assertTrue(a.totalConnections() <= 2, "backend connections: " + a.totalConnections());
        }
    }

    /**
     * A client that sends its requests and then shuts its side (as {@code nc -N} or an HTTP/1.0-era client does)
     * still gets every answer, and then the connection is closed; one that shuts its side between requests is closed.
     * The proxy keeps reading the client while it proxies a request, so it sees the half-close mid-request.
     */
    @Test
    void aClientThatHalfClosesAfterItsRequestsGetsEveryAnswerThenTheClose() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start()) {
            a.delay(java.time.Duration.ofMillis(200)); // the half-close arrives while the first request is proxied
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n");
                raw.socket.shutdownOutput();
                RawClient.Response first = raw.readResponse();
                assertEquals(200, first.status());
                assertEquals("Hello from " + a + "\n", first.body());
                assertEquals(200, raw.readResponse().status());
                assertTrue(raw.closedByPeer());
            }
            a.delay(java.time.Duration.ZERO);
            try (RawClient raw = new RawClient(proxy.address())) {
                raw.send("GET /three HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, raw.readResponse().status());
                raw.socket.shutdownOutput();
                assertTrue(raw.closedByPeer());
            }
            assertEquals(3, a.requests());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).algorithm(RoutingAlgorithm.NAME).start();
                RawClient raw = new RawClient(proxy.address())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                batch.append("POST /to/").append(i % 2 == 0 ? "a" : "b").append("/").append(i)
                        .append(" HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            }
            raw.send(batch.toString());
            for (int i = 0; i < 6; i++) {
                RawClient.Response response = raw.readResponse();
                assertEquals(200, response.status());
                assertEquals(i % 2 == 0 ? "a" : "b", response.header("x-backend"), "response " + i);
            }
            assertEquals(3, a.requests());
            assertEquals(3, b.requests());
        }
    }

    @Test
    void curlChunkedUploadWithExpectContinue() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start()) {
            byte[] body = new byte[5 * 1024 * 1024 + 17];
            new Random(9).nextBytes(body);
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "30", "-T", "-",
                    "-H", "Transfer-Encoding: chunked", "-H", "Expect: 100-continue",
                    "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + proxy.address().getPort() + "/upload").redirectErrorStream(true).start();
            try (OutputStream in = curl.getOutputStream()) {
                in.write(body);
            }
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(40, TimeUnit.SECONDS));
            assertEquals("200", output);
            DummyHttpBackend.Request seen = a.lastRequest();
            assertEquals("PUT", seen.method());
            assertEquals(body.length, seen.bodyBytes());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                    seen.bodySha256());
            assertEquals("chunked", seen.header("transfer-encoding"));
            assertNull(seen.header("content-length"));
        }
    }
}

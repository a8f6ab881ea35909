package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The common request (no body, plain headers) is relayed as bytes: the backend gets the client's head but for the
 * hop-by-hop lines, and the proxy's own lines after it, just as a request through the HTTP decoder gets them.
 */
@Timeout(30)
class RelayedRequestTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    /** A request head's header lines as a map of lower-case names to values, in order. */
    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** The Host a backend is named by when the proxy does not keep the client's. */
    private static String hostHeader(ScriptedBackend backend) {
        return backend.address().getHostString() + ":" + backend.address().getPort();
    }

    @Test
    void theBackendGetsTheClientsHeadButItsHopByHopLinesWithTheProxysOwnAfter() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(OK), 0);
                HttpProxy proxy = HttpProxy.builder().firstBackend("scripted", backend.address()).start();
                RawClient client = new RawClient(proxy.address())) {
            client.send("GET /p?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: t/1\r\nConnection: keep-alive\r\n"
                    + "Keep-Alive: timeout=5\r\nAccept:  */* \r\n\r\n");
            assertEquals("ok", client.readResponse().body());
            assertEquals("GET /p?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: t/1\r\nAccept:  */* \r\n"
                    + "x-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-host: example.test\r\n"
                    + "via: 1.1 lb\r\n\r\n", backend.requests().getFirst());
        }
    }

    @Test
    void relayedAndDecodedRequestsReachTheBackendWithTheSameHeaders() throws Exception {
        for (boolean rewriting : new boolean[] {true, false}) {
            try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(OK), 0);
                    HttpProxy proxy = HttpProxy.builder().firstBackend("scripted", backend.address())
                            .http(h -> h.withRewriting(rewriting, rewriting)).start();
                    RawClient client = new RawClient(proxy.address())) {
                String head = "GET /same HTTP/1.1\r\nHost: example.test\r\nX-A: 1\r\nConnection: keep-alive\r\n"
                        + "TE: trailers\r\n";
                client.send(head + "\r\n"); // relayed
                client.readResponse();
                client.send(head + "Content-Length: 0\r\n\r\n"); // decoded: it declares a body
                client.readResponse();
                Map<String, String> relayed = headers(backend.requests().get(0));
                Map<String, String> decoded = headers(backend.requests().get(1));
                assertEquals("0", decoded.remove("content-length"));
                assertEquals(decoded, relayed, rewriting ? "forwarding headers on, Host kept" : "all off");
                assertEquals(rewriting ? "example.test" : hostHeader(backend),
                        relayed.get("host"));
            }
        }
    }

    @Test
    void algorithmsSeeTheSameRequestWhicheverWayItGoes() throws Exception {
        try (ScriptedBackend a = new ScriptedBackend((request, head) -> List.of(OK), 0);
                ScriptedBackend b = new ScriptedBackend((request, head) -> List.of(OK), 0);
                HttpProxy proxy = HttpProxy.builder().firstBackend("a", a.address()).firstBackend("b", b.address())
                        .algorithm(RoutingAlgorithm.NAME).start();
                RawClient client = new RawClient(proxy.address())) {
            String head = "GET /to/b?x=1 HTTP/1.1\r\nHost: example.test\r\nX-Tag: 1\r\nX-Tag: 2\r\n"
                    + "Cookie: route=b\r\nConnection: keep-alive\r\n";
            List<RoutingAlgorithm.Seen> seen = new java.util.ArrayList<>();
            for (String end : new String[] {"\r\n", "Content-Length: 0\r\n\r\n"}) { // relayed, then decoded
                client.send(head + end);
                assertEquals("ok", client.readResponse().body());
                seen.add(RoutingAlgorithm.LAST.get());
            }
            assertEquals(seen.get(1), seen.get(0));
            assertEquals(List.of("1", "2"), seen.get(0).tags());
            assertEquals("example.test", seen.get(0).host());
            assertEquals(null, seen.get(0).forwardedFor(), "the proxy's own headers are added after the pick");
            assertEquals(2, b.requests().size());
        }
    }

    @Test
    void aRetriedRequestNamesEachBackendInItsHost() throws Exception {
        try (ScriptedBackend closing = new ScriptedBackend((request, head) -> List.of(ScriptedBackend.CLOSE), 0);
                ScriptedBackend answering = new ScriptedBackend((request, head) -> List.of(OK), 0);
                HttpProxy proxy = HttpProxy.builder().firstBackend("closing", closing.address())
                        .firstBackend("answering", answering.address())
                        .http(h -> h.withRewriting(true, false)).start()) {
            for (int i = 0; i < 2; i++) { // round robin: one of the two tries the closing backend first
                try (RawClient client = new RawClient(proxy.address())) {
                    client.send("GET /retry HTTP/1.1\r\nHost: example.test\r\n\r\n");
                    assertEquals("ok", client.readResponse().body());
                }
            }
            assertTrue(closing.requests().size() >= 1, "the closing backend was tried");
            for (String head : closing.requests()) {
                assertEquals(hostHeader(closing), headers(head).get("host"));
            }
            assertEquals(2, answering.requests().size());
            for (String head : answering.requests()) {
                assertEquals(hostHeader(answering), headers(head).get("host"));
                assertEquals("example.test", headers(head).get("x-forwarded-host"));
            }
        }
    }

    @Test
    void pipelinedRelayedRequestsAreAnsweredInOrder() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> {
            String path = head.split(" ")[1];
            return List.of("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path);
        }, 0);
                HttpProxy proxy = HttpProxy.builder().firstBackend("scripted", backend.address()).start();
                RawClient client = new RawClient(proxy.address())) {
            // relayed, decoded (it has a body), relayed, decoded (HTTP/1.0 is left to the decoder), relayed
            client.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
                    + "GET /three HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET /four HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n"
                    + "GET /five HTTP/1.1\r\nHost: h\r\n\r\n");
            for (String path : List.of("/one", "/two", "/three", "/four", "/five")) {
                assertEquals(path, client.readResponse().body());
            }
            assertEquals(5, backend.requests().size());
            assertTrue(backend.requests().get(1).startsWith("POST /two HTTP/1.1\r\n"));
        }
    }
}

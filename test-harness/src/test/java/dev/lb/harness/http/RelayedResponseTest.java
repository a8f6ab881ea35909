package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The common backend response (HTTP/1.1, a Content-Length body) is relayed as bytes: its head passes byte for byte
 * but for the hop-by-hop lines, and the body is counted off. Every other response goes through the HTTP decoder, and
 * the two mix freely on one backend connection.
 */
@Timeout(30)
class RelayedResponseTest {

    private static final String GET = "GET /r HTTP/1.1\r\nHost: x\r\n\r\n";

    private static HttpProxy proxy(ScriptedBackend backend) throws Exception {
        return HttpProxy.builder().firstBackend("scripted", backend.address()).start();
    }

    @Test
    void aResponseHeadPassesByteForByteButForItsHopByHopLines() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTTP/1.1 200 Fine\r\nX-Spaced:  a  b \r\nKeep-Alive: timeout=5\r\nConnection: keep-alive\r\n"
                        + "Upgrade: h2c\r\ncontent-length: 5\r\nX-Last: " + request + "\r\n\r\nhello"), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 3; i++) {
                client.send(GET);
                RawClient.Response response = client.readResponse();
                assertEquals("HTTP/1.1 200 Fine\r\nX-Spaced:  a  b \r\ncontent-length: 5\r\nX-Last: " + i + "\r\n"
                        + "via: 1.1 lb\r\n\r\n", response.head());
                assertEquals("hello", response.body());
            }
            assertEquals(1, backend.connections(), "the backend connection was kept alive and reused");
        }
    }

    @Test
    void headAndBodyArrivingInPiecesAreRelayedWhole() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTT", "P/1.1 200 OK\r\nContent-Le", "ngth: 10\r", "\n\r", "\n01234", "5678", "9"), 30);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 2; i++) {
                client.send(GET);
                RawClient.Response response = client.readResponse();
                assertEquals(200, response.status());
                assertEquals("0123456789", response.body());
            }
            assertEquals(1, backend.connections());
        }
    }

    @Test
    void bodiesUpToAndPastTheSizeWrittenWithTheHeadArriveWhole() throws Exception {
        int limit = 4 * 1024; // RelayedResponse.Head.WHOLE_BODY_LIMIT
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> {
            int size = limit - 1 + request; // limit - 1, limit, limit + 1
            return List.of("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n" + "b".repeat(size));
        }, 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 3; i++) {
                client.send(GET);
                RawClient.Response response = client.readResponse();
                assertEquals("b".repeat(limit - 1 + i), response.body());
                assertEquals("HTTP/1.1 200 OK\r\nContent-Length: " + (limit - 1 + i) + "\r\nvia: 1.1 lb\r\n\r\n",
                        response.head());
            }
            assertEquals(1, backend.connections());
        }
    }

    @Test
    void aBackendSayingCloseIsNotReusedWhileTheClientKeepsItsConnection() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", ScriptedBackend.CLOSE), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 2; i++) {
                client.send(GET);
                RawClient.Response response = client.readResponse();
                assertEquals("ok", response.body());
                assertNull(response.header("connection"), "the client's connection is its own");
            }
            assertEquals(2, backend.connections());
        }
    }

    @Test
    void aClientAskingToCloseIsToldSoAndClosed() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            client.send("GET /r HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawClient.Response response = client.readResponse();
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nvia: 1.1 lb\r\nconnection: close\r\n\r\n",
                    response.head());
            assertEquals("ok", response.body());
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void responsesForTheDecoderAndRelayedOnesTakeTurnsOnOneBackendConnection() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(switch (request % 3) {
            case 0 -> "HTTP/1.1 200 OK\r\nVia: 1.1 edge\r\nContent-Length: 3\r\n\r\nvia";
            case 1 -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nbytes";
            default -> "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 6\r\n\r\nfolded";
        }), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 6; i++) {
                client.send(GET);
                RawClient.Response response = client.readResponse();
                switch (i % 3) {
                    case 0 -> {
                        assertEquals("via", response.body());
                        assertEquals("1.1 edge, 1.1 lb", response.header("via"), "merged by the decoder's path");
                    }
                    case 1 -> assertEquals("bytes", response.body());
                    default -> assertEquals("folded", response.body());
                }
            }
            assertEquals(1, backend.connections());
        }
    }

    @Test
    void aHeadRequestsResponseHasNoBodyWhateverItsContentLength() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(head.startsWith("HEAD")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            client.send("HEAD /r HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response head = client.readResponseHeadOnly();
            assertEquals("5", head.header("content-length"));
            client.send(GET);
            assertEquals("hello", client.readResponse().body());
            assertEquals(1, backend.connections());
        }
    }

    @Test
    void aHeadCutShortByTheBackendClosingIsABadGateway() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTTP/1.1 200 OK\r\nContent-Len", ScriptedBackend.CLOSE), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            client.send(GET);
            assertEquals(502, client.readResponse().status());
            assertEquals(1, backend.connections(), "a response had begun: not retried");
        }
    }

    @Test
    void aBodyCutShortClosesTheClientRatherThanEndingItEarly() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", ScriptedBackend.CLOSE), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            client.send(GET);
            assertEquals(200, client.readResponseHeadOnly().status());
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void bytesAfterAResponseMakeTheBackendConnectionUnfitForReuse() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, head) -> List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"), 0);
                HttpProxy proxy = proxy(backend);
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 2; i++) {
                client.send(GET);
                RawClient.Response response = client.readResponse();
                assertEquals(200, response.status());
                assertEquals("ok", response.body());
            }
            assertEquals(2, backend.connections(), "the first connection was closed, not pooled");
        }
    }
}

package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Requests whose framing two servers could read differently are refused with 400 and never forwarded. */
@Timeout(60)
class SmugglingTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // CL.TE: both framings at once
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
        // TE.CL, the other order
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST",
        // two lengths
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!",
        // a chunk size that is not hexadecimal
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        // obfuscated transfer codings
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // a space before the colon
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello",
        // two Host headers, or none, so that two servers could route it differently
        "GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
    })
    void refusedAndNeverForwarded(String attempt) throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                RawClient raw = new RawClient(proxy.address())) {
            raw.send(attempt);
            RawClient.Response response = raw.readResponse();
            assertEquals(400, response.status());
            assertEquals("400 Bad Request\n", response.body());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByPeer(), "the connection is closed: nothing after the attempt is read as a request");
            assertEquals(0, a.requests(), "the backend saw nothing");
            assertNull(a.lastRequest());
        }
    }

    @Test
    void connectIsNotAllowed() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                RawClient raw = new RawClient(proxy.address())) {
            raw.send("CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n");
            assertEquals(405, raw.readResponse().status());
            assertEquals(0, a.requests());
        }
    }

    @Test
    void aWellFormedChunkedRequestIsForwarded() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                RawClient raw = new RawClient(proxy.address())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertEquals(200, raw.readResponse().status());
            assertEquals(5, a.lastRequest().bodyBytes());
        }
    }
}

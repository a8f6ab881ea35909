package dev.lb.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.http.HeadScanner.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which client request heads are relayed as bytes, what is cut from them, and what a backend then gets. */
class RequestHeadScannerTest {

    private static final String WRK = "GET /index.html?q=1 HTTP/1.1\r\nHost: example.test:8080\r\n\r\n";

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static RequestHeadScanner scanner() {
        return new RequestHeadScanner(8192, 8192, true);
    }

    private static Verdict scan(String head) {
        return scanner().scan(bytes(head));
    }

    private static String backendHead(RelayedRequest request, String host, boolean forwarded) {
        return request.forBackend(UnpooledByteBufAllocator.DEFAULT, host, forwarded, "10.1.2.3", "https").content()
                .toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPlainGetIsRelayedAndReadsAsTheClientSentIt() {
        RequestHeadScanner scanner = scanner();
        ByteBuf in = bytes(WRK + "GET /next");
        assertEquals(Verdict.RELAY, scanner.scan(in));
        RelayedRequest request = scanner.take(in);
        assertEquals(HttpMethod.GET, request.method());
        assertEquals("/index.html?q=1", request.uri());
        assertEquals("example.test:8080", request.host());
        assertTrue(request.keepAlive());
        assertEquals("example.test:8080", request.headers().get("host"), "headers decode on demand");
        assertEquals("GET /next", in.toString(StandardCharsets.ISO_8859_1), "the reader is at the next request");
    }

    @Test
    void theBackendGetsTheHeadWithoutHopByHopLinesAndWithTheProxysOwn() {
        RequestHeadScanner scanner = scanner();
        ByteBuf in = bytes("DELETE /items/7 HTTP/1.1\r\nUser-Agent: t/1\r\nConnection: Keep-Alive, close\r\n"
                + "Host:  example.test \r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nX-Custom:  a b \r\n\r\n");
        assertEquals(Verdict.RELAY, scanner.scan(in));
        RelayedRequest request = scanner.take(in);
        assertFalse(request.keepAlive(), "Connection: close");
        assertEquals("example.test", request.host());
        assertEquals("DELETE /items/7 HTTP/1.1\r\nUser-Agent: t/1\r\nHost:  example.test \r\nX-Custom:  a b \r\n"
                + "x-forwarded-for: 10.1.2.3\r\nx-forwarded-proto: https\r\nx-forwarded-host: example.test\r\n"
                + "via: 1.1 lb\r\n\r\n", backendHead(request, null, true));
        assertEquals("DELETE /items/7 HTTP/1.1\r\nUser-Agent: t/1\r\nX-Custom:  a b \r\nhost: 127.0.0.1:9000\r\n"
                + "\r\n", backendHead(request, "127.0.0.1:9000", false), "the Host line names the backend");
        assertEquals("a b", request.headers().get("x-custom"));
        assertFalse(request.headers().contains("te"), "what an algorithm reads has no hop-by-hop lines either");
    }

    @Test
    void everyCommonMethodButConnectQualifies() {
        for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"}) {
            assertEquals(Verdict.RELAY, scan(method + " / HTTP/1.1\r\nHost: h\r\n\r\n"), method);
        }
    }

    @Test
    void everyCutShortPrefixOfARelayableHeadAsksForMore() {
        for (int length = 0; length < WRK.length(); length++) {
            assertEquals(Verdict.NEED_MORE, scan(WRK.substring(0, length)), "prefix of " + length + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.0\r\nHost: h\r\n\r\n",                          // HTTP/1.0 keep-alive rules differ
        "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",              // refused by the decoder's path
        "get / HTTP/1.1\r\nHost: h\r\n\r\n",                          // methods are case-sensitive
        "PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n",                     // not one of the common ones
        "GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n",                  // absolute-form
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",                      // asterisk-form
        "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",                                     // no Host
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",               // two: the decoder's path refuses it
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",    // bodies go through the decoder
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nConnection: X-Secret\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n", // merged by the decoder's path
        "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-Proto: https\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-Host: e\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nVia: 1.1 edge\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\u0000\r\n\r\n",
        "GET / HTTP/1.1\nHost: h\n\n",
        "GET / HTTP/1.1\r\nHost: h\r\n\n",
        "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    })
    void anythingElseIsLeftToTheDecoder(String head) {
        assertEquals(Verdict.DECODE, scan(head));
    }

    @Test
    void forwardingHeadersFromTheClientPassWhenTheProxyAddsNone() {
        RequestHeadScanner scanner = new RequestHeadScanner(8192, 8192, false);
        assertEquals(Verdict.RELAY, scanner.scan(bytes(
                "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\nVia: 1.1 edge\r\n\r\n")));
    }

    @Test
    void theListenersLimitsSendLongerHeadsToTheDecoderWhichAnswersThem() {
        String head = "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: h\r\n\r\n";
        int requestLine = head.indexOf('\r');
        assertEquals(Verdict.RELAY, new RequestHeadScanner(requestLine, 8192, true).scan(bytes(head)));
        assertEquals(Verdict.DECODE, new RequestHeadScanner(requestLine - 1, 8192, true).scan(bytes(head)));
        assertEquals(Verdict.RELAY, new RequestHeadScanner(8192, head.length(), true).scan(bytes(head)));
        assertEquals(Verdict.DECODE, new RequestHeadScanner(8192, head.length() - 1, true).scan(bytes(head)));
        assertEquals(Verdict.DECODE, new RequestHeadScanner(8192, 20, true).scan(bytes(head.substring(0, 21))),
                "past max-header-size with no end in sight: the decoder refuses it now, without waiting for the rest");
    }
}

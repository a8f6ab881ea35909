package dev.lb.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.http.HeadScanner.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which backend response heads are relayed as bytes, and what is cut from them. */
class ResponseHeadScannerTest {

    private static final String NGINX = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 21 Nov 2026 09:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\n";

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static Verdict scan(String head) {
        return new ResponseHeadScanner().scan(bytes(head));
    }

    @Test
    void aKeepAliveResponseIsRelayedWithItsHopByHopLinesCut() {
        ResponseHeadScanner scanner = new ResponseHeadScanner();
        ByteBuf in = bytes(NGINX + "Hello, world!");
        assertEquals(Verdict.RELAY, scanner.scan(in));
        assertEquals(200, scanner.status());
        assertEquals(13, scanner.contentLength());
        assertTrue(scanner.keepAlive());
        ByteBuf head = scanner.takeHead(in, UnpooledByteBufAllocator.DEFAULT, 0);
        assertEquals("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 21 Nov 2026 09:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n", head.toString(StandardCharsets.ISO_8859_1));
        assertEquals("Hello, world!", in.toString(StandardCharsets.ISO_8859_1), "the reader is at the body");
    }

    @Test
    void everyHopByHopLineIsCutWhateverItsCaseAndTheRestIsKeptByteForByte() {
        ResponseHeadScanner scanner = new ResponseHeadScanner();
        ByteBuf in = bytes("HTTP/1.1 503 Busy Now\r\nKEEP-ALIVE: timeout=5\r\nX-A:  two spaces \t\r\nTE: trailers\r\n"
                + "Trailer: X-T\r\nUpgrade: h2c\r\nProxy-Connection: keep-alive\r\ncontent-length:0\r\n"
                + "Connection: Keep-Alive , close\r\nX-Z: last\r\n\r\n");
        assertEquals(Verdict.RELAY, scanner.scan(in));
        assertEquals(503, scanner.status());
        assertEquals(0, scanner.contentLength());
        assertFalse(scanner.keepAlive(), "Connection: close");
        assertEquals("HTTP/1.1 503 Busy Now\r\nX-A:  two spaces \t\r\ncontent-length:0\r\nX-Z: last\r\n",
                scanner.takeHead(in, UnpooledByteBufAllocator.DEFAULT, 0).toString(StandardCharsets.ISO_8859_1));
        assertEquals(0, in.readableBytes());
    }

    @Test
    void aStatusLineWithoutAReasonQualifies() {
        assertEquals(Verdict.RELAY, scan("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void everyCutShortPrefixOfARelayableHeadAsksForMore() {
        for (int length = 0; length < NGINX.length(); length++) {
            assertEquals(Verdict.NEED_MORE, scan(NGINX.substring(0, length)), "prefix of " + length + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n",               // HTTP/1.0 keep-alive rules differ
        "HTTP/1.1 100 Continue\r\n\r\n",                               // interim
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",        // never has a body
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",      // never has a body
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\n\r\n",                                     // delimited by close
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
        "HTTP/1.1 200 OK\r\nVia: 1.1 edge\r\nContent-Length: 0\r\n\r\n", // the proxy appends to it
        "HTTP/1.1 200 OK\r\nConnection: X-Secret\r\nX-Secret: s\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Bad : a\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX(Bad): a\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: a\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\n\n",                      // bare line feeds
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n",
        "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 20x OK\r\nContent-Length: 0\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",            // leading blank line
        "HTTP/2 200\r\n\r\n",
    })
    void anythingElseIsLeftToTheDecoder(String head) {
        assertEquals(Verdict.DECODE, scan(head));
    }

    @Test
    void aHeadLongerThanTheScanLimitIsLeftToTheDecoder() {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(ResponseHeadScanner.MAX_HEAD) + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        assertEquals(Verdict.DECODE, scan(big));
        assertEquals(Verdict.NEED_MORE, scan(big.substring(0, ResponseHeadScanner.MAX_HEAD)),
                "no more than the limit is here yet: it may still end in time");
    }

    @Test
    void moreHopByHopLinesThanTheScannerKeepsAreLeftToTheDecoder() {
        String head = "HTTP/1.1 200 OK\r\n" + "Keep-Alive: timeout=5\r\n".repeat(9) + "Content-Length: 0\r\n\r\n";
        assertEquals(Verdict.DECODE, scan(head));
        String eight = "HTTP/1.1 200 OK\r\n" + "Keep-Alive: timeout=5\r\n".repeat(8) + "Content-Length: 0\r\n\r\n";
        assertEquals(Verdict.RELAY, scan(eight));
    }

    @Test
    void obsTextInAValueIsRelayed() {
        assertEquals(Verdict.RELAY, scan("HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n"));
    }

    @Test
    void theScanLeavesTheBufferWhereItWas() {
        ByteBuf in = bytes(NGINX);
        new ResponseHeadScanner().scan(in);
        assertEquals(0, in.readerIndex());
        assertEquals(NGINX.length(), in.readableBytes());
    }
}

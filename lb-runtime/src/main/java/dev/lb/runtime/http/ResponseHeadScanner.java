package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Tells whether a backend's response head can be relayed as bytes, which spares decoding it into header objects and
 * encoding it again: the common response of a keep-alive backend (the bulk of a proxy's work) is relayed with its
 * hop-by-hop lines cut out and its body counted off by {@code Content-Length}.
 *
 * <p>Only a head that needs nothing but cutting qualifies: {@code HTTP/1.1}, a final status other than 204 and 304,
 * one {@code Content-Length} of plain digits, no {@code Transfer-Encoding} and no {@code Via} (which the proxy would
 * have to merge), a {@code Connection} naming no option but {@code close} and {@code keep-alive}, CRLF line ends,
 * header names of token characters and values of visible characters, spaces and tabs, the whole head within
 * {@value #MAX_HEAD} bytes. So a head this scanner accepts is one Netty's decoder would accept too.
 */
final class ResponseHeadScanner extends HeadScanner {

    private static final byte[] STATUS_PREFIX = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};

    private int status;
    private long contentLength;

    ResponseHeadScanner() {
        super(MAX_HEAD);
    }

    /** The status code of the head found relayable. */
    int status() {
        return status;
    }

    /** Its body's length. */
    long contentLength() {
        return contentLength;
    }

    /** Whether the backend keeps the connection open after it (no {@code Connection: close}). */
    boolean keepAlive() {
        return !close();
    }

    @Override
    int firstLine(ByteBuf in, int start, int limit) {
        int i = start;
        for (byte expected : STATUS_PREFIX) {
            if (i == limit) {
                return -1;
            }
            if (in.getByte(i++) != expected) {
                return -2;
            }
        }
        if (limit - i < 4) {
            return -1;
        }
        int d1 = in.getByte(i) - '0';
        int d2 = in.getByte(i + 1) - '0';
        int d3 = in.getByte(i + 2) - '0';
        byte after = in.getByte(i + 3);
        if (d1 < 2 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9 || after != ' ' && after != CR) {
            return -2; // 1xx, a malformed code, or one outside 2xx-5xx
        }
        status = d1 * 100 + d2 * 10 + d3;
        if (status == 204 || status == 304) {
            return -2;
        }
        contentLength = -1;
        return endOfText(in, i + 3, limit);
    }

    @Override
    boolean header(ByteBuf in, int lineStart, int nameEnd, int lineEnd) {
        switch (nameEnd - lineStart) {
            case 3: // via: this proxy would append itself to the backend's list
                return !is(in, lineStart, "via");
            case 7:
                return !is(in, lineStart, "upgrade") || cut(lineStart, lineEnd);
            case 14:
                if (!is(in, lineStart, "content-length")) {
                    return true;
                }
                if (contentLength >= 0) {
                    return false; // two of them: the decoder says what it makes of that
                }
                contentLength = digits(in, nameEnd + 1, lineEnd - 2);
                return contentLength >= 0;
            case 17:
                return !is(in, lineStart, "transfer-encoding");
            default:
                return true;
        }
    }

    @Override
    Verdict end(int length) {
        return contentLength < 0 ? Verdict.DECODE : Verdict.RELAY;
    }

    /** A value of 1 to 18 decimal digits between optional spaces and tabs, or -1. */
    private static long digits(ByteBuf in, int from, int to) {
        while (from < to && isSpace(in.getByte(from))) {
            from++;
        }
        while (to > from && isSpace(in.getByte(to - 1))) {
            to--;
        }
        if (to == from || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * After {@link Verdict#RELAY}: the head for the client, without its hop-by-hop lines and without the empty line
     * that ends it (the proxy appends its own lines first), in a buffer from {@code alloc} with {@code spare} bytes
     * of room left; {@code in}'s reader index moves past the head.
     */
    ByteBuf takeHead(ByteBuf in, ByteBufAllocator alloc, int spare) {
        ByteBuf head = alloc.buffer(keptLength(in) + spare);
        takeHead(in, head);
        return head;
    }
}

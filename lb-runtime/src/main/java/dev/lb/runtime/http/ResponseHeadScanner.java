package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads a backend's response head in place and says whether it can be relayed as bytes, which spares decoding it
 * into header objects and encoding it again: the common response of a keep-alive backend (the bulk of a proxy's
 * work) is relayed with its hop-by-hop lines cut out and its body counted off by {@code Content-Length}.
 *
 * <p>Only a head that needs nothing but cutting qualifies: {@code HTTP/1.1}, a final status other than 204 and 304,
 * one {@code Content-Length} of plain digits, no {@code Transfer-Encoding} and no {@code Via} (which the proxy would
 * have to merge), a {@code Connection} naming no option but {@code close} and {@code keep-alive}, CRLF line ends,
 * header names of token characters and values of visible characters, spaces and tabs, the whole head within
 * {@value #MAX_HEAD} bytes. Anything else is left to Netty's decoder, whose rules (and errors) then apply unchanged;
 * so a head this scanner accepts is one the decoder would accept too.
 *
 * <p>One instance per backend connection, reused for each response; not thread-safe.
 */
final class ResponseHeadScanner {

    /** What {@link #scan} found. */
    enum Verdict {
        /** The head can be relayed; {@link #status}, {@link #contentLength} and {@link #keepAlive} describe it. */
        RELAY,
        /** The head may qualify but is not all here yet. */
        NEED_MORE,
        /** The head is for the decoder. */
        DECODE
    }

    /** Longest head scanned; a longer one (rare) goes to the decoder, which has its own, larger limit. */
    static final int MAX_HEAD = 8 * 1024;
    /** Most hop-by-hop lines cut from one head; a head with more goes to the decoder. */
    private static final int MAX_CUTS = 8;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] STATUS_PREFIX = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' '};
    /** Bytes that may appear in a header name (RFC 9110 tchar), indexed by byte value. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private int status;
    private long contentLength;
    private boolean keepAlive;
    /** Where the head ends in the buffer scanned (after its empty line). */
    private int headEnd;
    /** Start and end offsets of the lines to cut, in order. */
    private final int[] cutStart = new int[MAX_CUTS];
    private final int[] cutEnd = new int[MAX_CUTS];
    private int cuts;

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
        return keepAlive;
    }

    /** Looks at the head starting at {@code in}'s reader index, without moving it. */
    Verdict scan(ByteBuf in) {
        int start = in.readerIndex();
        int limit = start + Math.min(in.readableBytes(), MAX_HEAD);
        boolean complete = in.readableBytes() > MAX_HEAD;
        cuts = 0;
        int i = start;
        for (byte expected : STATUS_PREFIX) {
            if (i == limit) {
                return needMore(complete);
            }
            if (in.getByte(i++) != expected) {
                return Verdict.DECODE;
            }
        }
        if (limit - i < 4) {
            return needMore(complete);
        }
        int d1 = in.getByte(i) - '0';
        int d2 = in.getByte(i + 1) - '0';
        int d3 = in.getByte(i + 2) - '0';
        byte after = in.getByte(i + 3);
        if (d1 < 2 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9 || after != ' ' && after != CR) {
            return Verdict.DECODE; // 1xx, a malformed code, or one outside 2xx-5xx
        }
        status = d1 * 100 + d2 * 10 + d3;
        if (status == 204 || status == 304) {
            return Verdict.DECODE;
        }
        i = endOfText(in, i + 3, limit);
        if (i < 0) {
            return i == -1 ? needMore(complete) : Verdict.DECODE;
        }
        contentLength = -1;
        keepAlive = true;
        while (true) {
            // i is at the start of a line
            if (i == limit) {
                return needMore(complete);
            }
            if (in.getByte(i) == CR) {
                if (i + 1 == limit) {
                    return needMore(complete);
                }
                if (in.getByte(i + 1) != LF) {
                    return Verdict.DECODE;
                }
                headEnd = i + 2;
                return contentLength < 0 ? Verdict.DECODE : Verdict.RELAY;
            }
            int lineStart = i;
            while (i < limit) {
                byte b = in.getByte(i);
                if (b == ':') {
                    break;
                }
                if (b < 0 || !TOKEN[b]) {
                    return Verdict.DECODE; // folded line, space before the colon, or a bad name
                }
                i++;
            }
            if (i == limit) {
                return needMore(complete);
            }
            int nameEnd = i;
            if (nameEnd == lineStart) {
                return Verdict.DECODE;
            }
            int lineEnd = endOfText(in, i + 1, limit);
            if (lineEnd < 0) {
                return lineEnd == -1 ? needMore(complete) : Verdict.DECODE;
            }
            Verdict verdict = header(in, lineStart, nameEnd, lineEnd);
            if (verdict != null) {
                return verdict;
            }
            i = lineEnd;
        }
    }

    private static Verdict needMore(boolean complete) {
        return complete ? Verdict.DECODE : Verdict.NEED_MORE;
    }

    /**
     * Checks the text from {@code from} to the line's CRLF: visible characters, spaces, tabs and obs-text only.
     * Returns the offset after the CRLF, -1 if the line is not all here, or -2 if it may not be relayed.
     */
    private static int endOfText(ByteBuf in, int from, int limit) {
        for (int i = from; i < limit; i++) {
            byte b = in.getByte(i);
            if (b == CR) {
                if (i + 1 == limit) {
                    return -1;
                }
                return in.getByte(i + 1) == LF ? i + 2 : -2;
            }
            if (b >= 0 && b < ' ' && b != '\t' || b == 0x7f) {
                return -2;
            }
        }
        return -1;
    }

    /** Takes in one header line; returns DECODE when it rules relaying out, else null. */
    private Verdict header(ByteBuf in, int lineStart, int nameEnd, int lineEnd) {
        int nameLength = nameEnd - lineStart;
        int valueStart = nameEnd + 1;
        int valueEnd = lineEnd - 2;
        switch (nameLength) {
            case 2: // te
                return is(in, lineStart, "te") ? cut(lineStart, lineEnd) : null;
            case 3: // via: this proxy would append itself to the backend's list
                return is(in, lineStart, "via") ? Verdict.DECODE : null;
            case 7: // trailer, upgrade
                return is(in, lineStart, "trailer") || is(in, lineStart, "upgrade") ? cut(lineStart, lineEnd) : null;
            case 10: // connection, keep-alive
                if (is(in, lineStart, "keep-alive")) {
                    return cut(lineStart, lineEnd);
                }
                if (is(in, lineStart, "connection")) {
                    return connection(in, valueStart, valueEnd) ? cut(lineStart, lineEnd) : Verdict.DECODE;
                }
                return null;
            case 14: // content-length
                if (!is(in, lineStart, "content-length")) {
                    return null;
                }
                if (contentLength >= 0) {
                    return Verdict.DECODE; // two of them: the decoder says what it makes of that
                }
                contentLength = digits(in, valueStart, valueEnd);
                return contentLength < 0 ? Verdict.DECODE : null;
            case 16: // proxy-connection
                return is(in, lineStart, "proxy-connection") ? cut(lineStart, lineEnd) : null;
            case 17: // transfer-encoding
                return is(in, lineStart, "transfer-encoding") ? Verdict.DECODE : null;
            default:
                return null;
        }
    }

    private Verdict cut(int lineStart, int lineEnd) {
        if (cuts == MAX_CUTS) {
            return Verdict.DECODE;
        }
        cutStart[cuts] = lineStart;
        cutEnd[cuts] = lineEnd;
        cuts++;
        return null;
    }

    /** Reads a {@code Connection} value; false when it names an option other than close and keep-alive. */
    private boolean connection(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to) {
            while (i < to && isSpace(in.getByte(i))) {
                i++;
            }
            int tokenStart = i;
            while (i < to && in.getByte(i) != ',') {
                i++;
            }
            int tokenEnd = i;
            while (tokenEnd > tokenStart && isSpace(in.getByte(tokenEnd - 1))) {
                tokenEnd--;
            }
            int length = tokenEnd - tokenStart;
            if (length == 5 && is(in, tokenStart, "close")) {
                keepAlive = false;
            } else if (length != 0 && !(length == 10 && is(in, tokenStart, "keep-alive"))) {
                return false;
            }
            i++; // past the comma
        }
        return true;
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

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Whether the bytes at {@code at} spell {@code lowerCase}, ignoring ASCII case. */
    private static boolean is(ByteBuf in, int at, String lowerCase) {
        for (int k = 0; k < lowerCase.length(); k++) {
            if ((in.getByte(at + k) | 0x20) != lowerCase.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * After {@link Verdict#RELAY}: the head for the client, without its hop-by-hop lines and without the empty line
     * that ends it (the proxy appends its own lines first), in a buffer from {@code alloc} with {@code spare} bytes
     * of room left; {@code in}'s reader index moves past the head.
     */
    ByteBuf takeHead(ByteBuf in, ByteBufAllocator alloc, int spare) {
        int start = in.readerIndex();
        int end = headEnd - 2;
        int length = end - start;
        for (int k = 0; k < cuts; k++) {
            length -= cutEnd[k] - cutStart[k];
        }
        ByteBuf head = alloc.buffer(length + spare);
        int from = start;
        for (int k = 0; k < cuts; k++) {
            head.writeBytes(in, from, cutStart[k] - from);
            from = cutEnd[k];
        }
        head.writeBytes(in, from, end - from);
        in.readerIndex(headEnd);
        return head;
    }
}

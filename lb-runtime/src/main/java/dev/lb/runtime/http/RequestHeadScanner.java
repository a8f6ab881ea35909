package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Tells whether a client's request head can be relayed as bytes, which spares decoding it into header objects and
 * encoding it again for the backend: the common request (a GET with a handful of headers) is relayed with its
 * hop-by-hop lines cut, and the proxy's own lines ({@code Host} for the backend, the forwarding headers) appended.
 *
 * <p>Only a request that needs nothing but cutting and appending qualifies, and nothing that takes a decision of the
 * request checks: a method of the common ones other than CONNECT, an origin-form target of visible characters,
 * {@code HTTP/1.1}, exactly one {@code Host}, no body ({@code Content-Length} or {@code Transfer-Encoding} send it to
 * the decoder, whose smuggling checks then apply), no {@code Upgrade} or {@code Expect}, a {@code Connection} naming
 * no option but {@code close} and {@code keep-alive}, and, when the proxy adds forwarding headers, none of those
 * already (they are merged by the decoder's path); CRLF line ends, header names of token characters and values of
 * visible characters, spaces and tabs; the request line within {@code max-request-line} and the head within
 * {@code max-header-size} and {@value #MAX_HEAD} bytes. So a head this scanner accepts is one the decoder's path
 * would forward too, and any other, good or bad, gets the decoder's answer.
 */
final class RequestHeadScanner extends HeadScanner {

    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE};
    private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};

    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final boolean forwarded;

    private HttpMethod method;
    private int uriStart;
    private int uriEnd;
    private int hosts;
    private int hostLineStart;
    private int hostLineEnd;
    private int hostValueStart;
    private int hostValueEnd;

    /**
     * @param forwarded whether the proxy adds the forwarding headers (then a request carrying some already is left
     *        to the decoder's path, which merges them)
     */
    RequestHeadScanner(int maxRequestLine, int maxHeaderSize, boolean forwarded) {
        super(maxHeaderSize); // a longer head is refused by the decoder: it gets there as soon as that is clear
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize;
        this.forwarded = forwarded;
    }

    @Override
    int firstLine(ByteBuf in, int start, int limit) {
        hosts = 0;
        int i = start;
        while (i < limit && in.getByte(i) != ' ') {
            if (i - start == 7) {
                return -2; // longer than any method taken here
            }
            i++;
        }
        if (i == limit) {
            return -1;
        }
        method = method(in, start, i - start);
        if (method == null) {
            return -2;
        }
        uriStart = ++i;
        if (i < limit && in.getByte(i) != '/') {
            return -2; // not origin-form: absolute-form and asterisk-form go to the decoder
        }
        while (i < limit) {
            byte b = in.getByte(i);
            if (b == ' ') {
                break;
            }
            if (b <= ' ' || b == 0x7f) { // controls, and obs-text (negative)
                return -2;
            }
            i++;
        }
        uriEnd = i;
        for (byte expected : VERSION) {
            if (++i >= limit) {
                return -1;
            }
            if (in.getByte(i) != expected) {
                return -2;
            }
        }
        // i is at the line feed; the line's length is up to its CR
        return i - 1 - start > maxRequestLine ? -2 : i + 1;
    }

    private static HttpMethod method(ByteBuf in, int start, int length) {
        for (HttpMethod candidate : METHODS) {
            String name = candidate.name();
            if (name.length() == length && matches(in, start, name)) {
                return candidate;
            }
        }
        return null;
    }

    /** Whether the bytes at {@code at} are exactly {@code text} (case counts). */
    private static boolean matches(ByteBuf in, int at, String text) {
        for (int k = 0; k < text.length(); k++) {
            if (in.getByte(at + k) != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    @Override
    boolean header(ByteBuf in, int lineStart, int nameEnd, int lineEnd) {
        switch (nameEnd - lineStart) {
            case 3:
                return !(forwarded && is(in, lineStart, "via"));
            case 4:
                if (is(in, lineStart, "host")) {
                    hosts++;
                    hostLineStart = lineStart;
                    hostLineEnd = lineEnd;
                    hostValueStart = nameEnd + 1;
                    hostValueEnd = lineEnd - 2;
                }
                return true;
            case 6:
                return !is(in, lineStart, "expect");
            case 7:
                return !is(in, lineStart, "upgrade");
            case 14:
                return !is(in, lineStart, "content-length");
            case 15:
                return !(forwarded && is(in, lineStart, "x-forwarded-for"));
            case 16:
                return !(forwarded && is(in, lineStart, "x-forwarded-host"));
            case 17:
                return !is(in, lineStart, "transfer-encoding") && !(forwarded && is(in, lineStart, "x-forwarded-proto"));
            default:
                return true;
        }
    }

    @Override
    Verdict end(int length) {
        return hosts == 1 && length <= maxHeaderSize ? Verdict.RELAY : Verdict.DECODE;
    }

    /** After {@link Verdict#RELAY}: the request, its head taken from {@code in}, whose reader index moves past it. */
    RelayedRequest take(ByteBuf in) {
        int from = hostValueStart;
        int to = hostValueEnd;
        while (from < to && isSpace(in.getByte(from))) {
            from++;
        }
        while (to > from && isSpace(in.getByte(to - 1))) {
            to--;
        }
        int uri = uriStart - in.readerIndex(); // the request line has nothing cut
        int hostLine = keptOffset(in, hostLineStart);
        int hostValue = hostLine + (from - hostLineStart);
        boolean keepAlive = !close();
        return new RelayedRequest(method, keepAlive, takeHead(in), uri, uri + (uriEnd - uriStart), hostLine,
                hostLine + (hostLineEnd - hostLineStart), hostValue, hostValue + (to - from));
    }
}

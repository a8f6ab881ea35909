package dev.lb.runtime.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;

/**
 * What the proxy must know of a request's headers to frame, keep and rewrite it ({@code Host}, {@code Transfer-Encoding},
 * {@code Connection}, {@code Upgrade}), read in one pass over them: asking Netty's headers for each in turn walks
 * them once per question and makes an iterator for each.
 */
final class RequestFraming {

    private int hosts;
    private int transferEncodings;
    private CharSequence transferEncoding;
    private boolean close;
    private boolean keepAlive;
    private boolean connectionUpgrade;
    private boolean connectionNamesHeaders;
    private boolean upgradeHeader;
    private final HttpVersion version;

    private RequestFraming(HttpVersion version) {
        this.version = version;
    }

    /** Reads {@code request}'s headers. */
    static RequestFraming of(HttpRequest request) {
        RequestFraming framing = new RequestFraming(request.protocolVersion());
        Iterator<Map.Entry<CharSequence, CharSequence>> headers = request.headers().iteratorCharSequence();
        while (headers.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = headers.next();
            CharSequence name = header.getKey();
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST)) {
                framing.hosts++;
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)) {
                if (framing.transferEncodings++ == 0) {
                    framing.transferEncoding = header.getValue();
                }
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)) {
                framing.connectionOptions(header.getValue());
            } else if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE)) {
                framing.upgradeHeader = true;
            }
        }
        return framing;
    }

    private void connectionOptions(CharSequence value) {
        int length = value.length();
        int start = 0;
        while (start <= length) {
            int end = start;
            while (end < length && value.charAt(end) != ',') {
                end++;
            }
            int next = end + 1;
            while (start < end && isSpace(value.charAt(start))) {
                start++;
            }
            while (end > start && isSpace(value.charAt(end - 1))) {
                end--;
            }
            if (is(value, start, end, HttpHeaderValues.CLOSE)) {
                close = true;
            } else if (is(value, start, end, HttpHeaderValues.KEEP_ALIVE)) {
                keepAlive = true;
            } else if (is(value, start, end, HttpHeaderValues.UPGRADE)) {
                connectionUpgrade = true;
                connectionNamesHeaders = true;
            } else if (end > start) {
                connectionNamesHeaders = true;
            }
            start = next;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Whether {@code value} from {@code start} to {@code end} is {@code option}, ignoring case. */
    private static boolean is(CharSequence value, int start, int end, AsciiString option) {
        if (end - start != option.length()) {
            return false;
        }
        for (int k = 0; k < option.length(); k++) {
            char c = value.charAt(start + k);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != option.byteAt(k)) { // option is lower case
                return false;
            }
        }
        return true;
    }

    /** Why the request's framing or routing is refused (request smuggling), or null when it is fine. */
    String problem() {
        if (hosts == 0 && version.equals(HttpVersion.HTTP_1_1)) {
            return "no Host header (required in HTTP/1.1)";
        }
        if (hosts > 1) {
            return "more than one Host header";
        }
        if (transferEncodings > 1) {
            return "more than one Transfer-Encoding header";
        }
        if (transferEncodings == 1 && !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(
                AsciiString.trim(transferEncoding))) {
            return "unsupported Transfer-Encoding \"" + transferEncoding + "\" (only chunked is accepted)";
        }
        return null;
    }

    /** Whether the body is chunked; once {@link #problem()} found nothing wrong. */
    boolean chunked() {
        return transferEncodings == 1;
    }

    /** Whether the client keeps its connection after this request (HTTP/1.1 unless it says close; 1.0 if it asks). */
    boolean keepAlive() {
        return !close && (version.isKeepAliveDefault() || keepAlive);
    }

    /** Whether the request asks to switch protocols ({@code Connection: upgrade} and an {@code Upgrade}). */
    boolean upgrade() {
        return upgradeHeader && connectionUpgrade;
    }

    /** Whether {@code Connection} names options other than close and keep-alive (headers that are hop-by-hop). */
    boolean connectionNamesHeaders() {
        return connectionNamesHeaders;
    }

    /** Marks the body chunked, as the proxy does for an HTTP/2 request without a length. */
    void chunkedByProxy() {
        transferEncodings = 1;
        transferEncoding = HttpHeaderValues.CHUNKED;
    }
}

package dev.lb.runtime.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * How heads change on their way through: hop-by-hop headers (RFC 9110 section 7.6.1) are removed in both directions,
 * and requests gain {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code Via}.
 *
 * <p>{@code Transfer-Encoding: chunked} is hop-by-hop too, but Netty's encoders frame a body by it, so it is kept as
 * the framing of the next hop; any other transfer coding was refused on the way in.
 */
final class HeaderRewriter {

    /** The pseudonym this proxy gives itself in {@code Via}. */
    static final String VIA_NAME = "lb";
    /** This proxy's entry in {@code Via} when it forwards HTTP/1.1. */
    static final String VIA_1_1 = "1.1 " + VIA_NAME;
    private static final String VIA_1_0 = "1.0 " + VIA_NAME;
    private static final String VIA_2 = "2 " + VIA_NAME;
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, "proxy-connection", HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);

    private HeaderRewriter() {
    }

    /**
     * Removes a client's request's hop-by-hop headers, once it is read (but the upgrade ones of an upgrade;
     * {@code connectionNamesHeaders} when its {@code Connection} names more of them): what is left is what the
     * algorithm sees, the request as the client sent it to its server.
     */
    static void endToEnd(HttpRequest request, boolean upgrade, boolean connectionNamesHeaders) {
        HttpHeaders headers = request.headers();
        String upgradeTo = upgrade ? headers.get(HttpHeaderNames.UPGRADE) : null;
        removeHopByHop(headers, connectionNamesHeaders);
        if (upgrade) {
            headers.set(HttpHeaderNames.UPGRADE, upgradeTo);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
    }

    /**
     * Makes a request (its hop-by-hop headers gone) ready for backends, once, before its first is named in
     * {@code Host}: HTTP/1.1 with keep-alive, and with {@code forwarded}, the forwarding headers; {@code http2} when
     * the client spoke HTTP/2.
     */
    static void forBackends(HttpRequest request, boolean forwarded, String clientAddress, String scheme,
                            boolean http2) {
        HttpHeaders headers = request.headers();
        if (forwarded) {
            String previous = headers.get(X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, previous == null ? clientAddress : previous + ", " + clientAddress);
            headers.set(X_FORWARDED_PROTO, scheme);
            String host = headers.get(HttpHeaderNames.HOST);
            if (host != null) {
                headers.set(X_FORWARDED_HOST, host);
            }
            // An HTTP/2 request comes converted to HTTP/1.1 messages; Via names what the client really spoke.
            appendVia(headers, http2 ? VIA_2 : via(request.protocolVersion()));
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Rewrites a backend's response head for the client: no hop-by-hop headers (but those of a 101), and Via. */
    static void prepareResponse(HttpResponse response, boolean switching, boolean forwarded) {
        HttpHeaders headers = response.headers();
        String upgradeTo = switching ? headers.get(HttpHeaderNames.UPGRADE) : null;
        removeHopByHop(headers, headers.contains(HttpHeaderNames.CONNECTION));
        if (switching && upgradeTo != null) {
            headers.set(HttpHeaderNames.UPGRADE, upgradeTo);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        if (forwarded) {
            appendVia(headers, via(response.protocolVersion()));
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** This proxy's entry in {@code Via} ({@code 1.1 lb}), without building a string for the usual versions. */
    private static String via(HttpVersion version) {
        if (version.majorVersion() == 1 && version.minorVersion() == 1) {
            return VIA_1_1;
        }
        if (version.majorVersion() == 1 && version.minorVersion() == 0) {
            return VIA_1_0;
        }
        return version.majorVersion() + "." + version.minorVersion() + " " + VIA_NAME;
    }

    /** Removes the hop-by-hop headers, and when {@code readConnection}, those that {@code Connection} names. */
    private static void removeHopByHop(HttpHeaders headers, boolean readConnection) {
        // Headers named in Connection are hop-by-hop for this message too. Most messages name none but the
        // connection options close and keep-alive (and the latter is removed below anyway): they pass with no copy.
        List<String> named = null;
        if (readConnection) {
            Iterator<String> values = headers.valueStringIterator(HttpHeaderNames.CONNECTION);
            while (values.hasNext()) {
                String value = values.next();
                for (String token : value.indexOf(',') < 0 ? new String[] {value} : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty() && !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(name)
                            && !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(name)
                            && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                            && !HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                        if (named == null) {
                            named = new ArrayList<>(2);
                        }
                        named.add(name); // removed after the walk, which must not see the headers change
                    }
                }
            }
        }
        if (named != null) {
            named.forEach(headers::remove);
        }
        for (CharSequence name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    private static void appendVia(HttpHeaders headers, String via) {
        String previous = headers.get(HttpHeaderNames.VIA);
        headers.set(HttpHeaderNames.VIA, previous == null ? via : previous + ", " + via);
    }
}

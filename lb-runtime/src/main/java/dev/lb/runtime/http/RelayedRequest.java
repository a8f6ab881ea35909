package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * A client's request whose head {@link RequestHeadScanner} found relayable: it has no body, and its head is kept as
 * bytes (hop-by-hop lines already cut) that {@link #forBackend} completes for each backend it is sent to.
 *
 * <p>It is an {@code HttpRequest} so that it travels where decoded requests do (pipelining queue, algorithms). Its
 * {@link #headers()} are decoded from the bytes only when something asks (an algorithm reading a header); they are a
 * view for reading: what goes to the backend is the bytes.
 */
final class RelayedRequest extends DefaultHttpRequest {

    private static final byte[] HOST = "host: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORWARDED_FOR = "x-forwarded-for: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORWARDED_PROTO = "x-forwarded-proto: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORWARDED_HOST = "x-forwarded-host: ".getBytes(StandardCharsets.US_ASCII);

    private final boolean keepAlive;
    /** Request line and header lines, without the empty line that ends the head. */
    private final byte[] head;
    /** Where the target lies in {@link #head}'s request line. */
    private final int uriStart;
    private final int uriEnd;
    /** Where the {@code Host} line, and its value without the spaces around it, lie in {@link #head}. */
    private final int hostLineStart;
    private final int hostLineEnd;
    private final int hostStart;
    private final int hostEnd;
    // Made from the bytes when first asked for: the proxy needs neither to forward the request.
    private String uri;
    private String host;
    private HttpHeaders decodedHeaders;

    /**
     * @param head the request line and the header lines to keep, without the empty line that ends the head
     * @param uriStart where the target starts in {@code head}, and {@code uriEnd} where it ends
     * @param hostLineStart where the {@code Host} line starts in {@code head}, and {@code hostLineEnd} where it ends
     *        (after its CRLF)
     * @param hostStart where the {@code Host} value starts in {@code head}, and {@code hostEnd} where it ends
     */
    RelayedRequest(HttpMethod method, boolean keepAlive, byte[] head, int uriStart, int uriEnd, int hostLineStart,
            int hostLineEnd, int hostStart, int hostEnd) {
        super(HttpVersion.HTTP_1_1, method, "", EmptyHttpHeaders.INSTANCE);
        this.keepAlive = keepAlive;
        this.head = head;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
        this.hostLineStart = hostLineStart;
        this.hostLineEnd = hostLineEnd;
        this.hostStart = hostStart;
        this.hostEnd = hostEnd;
    }

    @Override
    public String uri() {
        if (uri == null) {
            uri = new String(head, uriStart, uriEnd - uriStart, StandardCharsets.US_ASCII);
        }
        return uri;
    }

    /** The {@code Host} header's value. */
    String host() {
        if (host == null) {
            host = new String(head, hostStart, hostEnd - hostStart, StandardCharsets.ISO_8859_1);
        }
        return host;
    }

    /** Whether the client keeps its connection after this request (it did not say close). */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * The head for a backend: with {@code hostHeader}, its {@code Host} line names that instead of the client's;
     * with {@code forwarded}, the forwarding headers for a client at {@code clientAddress} over {@code scheme} and
     * this proxy's {@code Via} follow, as the decoder's path adds them.
     */
    Relayed forBackend(ByteBufAllocator alloc, String hostHeader, boolean forwarded, String clientAddress,
            String scheme) {
        ByteBuf out = alloc.buffer(head.length + 160);
        if (hostHeader == null) {
            out.writeBytes(head);
        } else {
            out.writeBytes(head, 0, hostLineStart);
            out.writeBytes(head, hostLineEnd, head.length - hostLineEnd);
            out.writeBytes(HOST);
            ByteBufUtil.writeAscii(out, hostHeader);
            out.writeBytes(Relayed.CRLF);
        }
        if (forwarded) {
            out.writeBytes(FORWARDED_FOR);
            ByteBufUtil.writeAscii(out, clientAddress);
            out.writeBytes(Relayed.CRLF);
            out.writeBytes(FORWARDED_PROTO);
            ByteBufUtil.writeAscii(out, scheme);
            out.writeBytes(Relayed.CRLF);
            out.writeBytes(FORWARDED_HOST);
            out.writeBytes(head, hostStart, hostEnd - hostStart);
            out.writeBytes(Relayed.CRLF);
            out.writeBytes(Relayed.VIA_LINE);
        }
        out.writeBytes(Relayed.CRLF);
        return new Relayed(out);
    }

    @Override
    public HttpHeaders headers() {
        if (decodedHeaders == null) {
            decodedHeaders = decodeHeaders();
        }
        return decodedHeaders;
    }

    /** The header lines of {@link #head}, which the scanner checked: each is {@code name:value} and ends in CRLF. */
    private HttpHeaders decodeHeaders() {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        int line = indexOfCrlf(0) + 2; // past the request line
        while (line < head.length) {
            int end = indexOfCrlf(line);
            int colon = line;
            while (head[colon] != ':') {
                colon++;
            }
            String name = new String(head, line, colon - line, StandardCharsets.US_ASCII);
            String value = new String(head, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).strip();
            headers.add(name, value);
            line = end + 2;
        }
        return headers;
    }

    private int indexOfCrlf(int from) {
        int i = from;
        while (head[i] != '\r') {
            i++;
        }
        return i;
    }
}

package dev.lb.runtime.http;

import dev.lb.spi.HttpRequestInfo;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.Optional;

/**
 * The runtime's {@link HttpRequestInfo}: a read-only view of a request head as the client sent it, without the
 * hop-by-hop headers (which were for the proxy) and before the proxy adds its own (forwarding headers, the backend's
 * {@code Host}); a request relayed as bytes and a decoded one look the same. The path, query and host are read once,
 * on first use, as are the cookies: most algorithms never ask, and the proxy itself needs the path only for the
 * access log and its own messages.
 */
final class RequestInfo implements HttpRequestInfo {

    private final HttpRequest request;
    private String path;
    private String query;
    private String host;
    private List<Cookie> cookies;

    /**
     * @param host the Host header as the client sent it (the proxy replaces it before the request goes out); null
     *        for a {@link RelayedRequest}, whose head is not rewritten, so that it is read only when asked for
     */
    RequestInfo(HttpRequest request, String host) {
        this.request = request;
        this.host = host == null && !(request instanceof RelayedRequest) ? "" : host;
    }

    private void splitUri() {
        String uri = request.uri();
        int start = 0;
        // absolute-form (http://host/path?q), as sent to proxies: the path starts after the authority.
        int scheme = uri.indexOf("://");
        if (scheme > 0 && uri.indexOf('/') > scheme) {
            int slash = uri.indexOf('/', scheme + 3);
            start = slash < 0 ? uri.length() : slash;
        }
        int q = uri.indexOf('?', start);
        int hash = uri.indexOf('#', start);
        int end = hash < 0 ? uri.length() : hash;
        String p = uri.substring(start, q < 0 || q > end ? end : q);
        this.path = p.isEmpty() ? "/" : p;
        this.query = q < 0 || q > end ? "" : uri.substring(q + 1, end);
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        if (path == null) {
            splitUri();
        }
        return path;
    }

    @Override
    public String query() {
        if (query == null) {
            splitUri();
        }
        return query;
    }

    @Override
    public String host() {
        if (host == null) {
            host = ((RelayedRequest) request).host();
        }
        return host;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.headers().get(name));
    }

    @Override
    public List<String> headers(String name) {
        return List.copyOf(request.headers().getAll(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        if (cookies == null) {
            List<String> values = request.headers().getAll(HttpHeaderNames.COOKIE);
            cookies = values.isEmpty() ? List.of()
                    : values.stream().flatMap(v -> ServerCookieDecoder.LAX.decodeAll(v).stream()).toList();
        }
        for (Cookie cookie : cookies) {
            if (cookie.name().equals(name)) {
                return Optional.of(cookie.value());
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return method() + " " + path();
    }
}

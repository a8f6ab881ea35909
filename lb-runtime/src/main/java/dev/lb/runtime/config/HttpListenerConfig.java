package dev.lb.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of an {@code http} listener: limits, timeouts, retries and how requests are rewritten for backends.
 *
 * @param maxHeaderSize the largest request header block accepted, in bytes (default 32768); larger gets 431
 * @param maxRequestLine the longest request line accepted, in bytes (default 8192); longer gets 414
 * @param maxBodySize the largest request body accepted, in bytes; 0 for no limit (default); larger gets 413
 * @param headerTimeout how long a client may take to send a whole request head (default 10s); slower gets 408
 * @param responseTimeout how long a backend may take to start answering once the request is sent (default 60s);
 *     slower gets 504
 * @param retries how requests a backend failed before answering are retried on another backend
 * @param forwardedHeaders whether to set {@code X-Forwarded-For}, {@code X-Forwarded-Proto},
 *     {@code X-Forwarded-Host} and {@code Via} (default true)
 * @param preserveHost whether backends see the client's {@code Host}; false sends the backend's address (default true)
 * @param maxConnections client connections open at once on this listener; more are closed on accept (default 10000)
 * @param maxBackendConnections connections open at once from this listener to one backend, busy or idle in its
 *     keep-alive pool (default 512)
 * @param backendTls TLS to backends, or null for plain HTTP
 * @param http2 whether a TLS listener also offers HTTP/2 by ALPN (default false: HTTP/1.1 only)
 * @param backendIdleTimeout how long an idle backend connection is kept for reuse (default 30s); keep it below the
 *     backends' own keep-alive timeout, so that a request is never sent on a connection the backend is closing
 */
public record HttpListenerConfig(
        int maxHeaderSize,
        int maxRequestLine,
        long maxBodySize,
        Duration headerTimeout,
        Duration responseTimeout,
        Retries retries,
        boolean forwardedHeaders,
        boolean preserveHost,
        int maxConnections,
        int maxBackendConnections,
        BackendTls backendTls,
        boolean http2,
        Duration backendIdleTimeout) {

    /** The methods retried by default: the idempotent ones of RFC 9110. */
    public static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** Every default. */
    public static final HttpListenerConfig DEFAULTS = new HttpListenerConfig(32 * 1024, 8 * 1024, 0,
            Duration.ofSeconds(10), Duration.ofSeconds(60), new Retries(2, IDEMPOTENT_METHODS), true, true, 10_000,
            512, null, false, Duration.ofSeconds(30));

    public HttpListenerConfig {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(backendIdleTimeout, "backendIdleTimeout");
    }

    /** A copy with other retries. */
    public HttpListenerConfig withRetries(Retries other) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout, other,
                forwardedHeaders, preserveHost, maxConnections, maxBackendConnections, backendTls, http2,
                backendIdleTimeout);
    }

    /** A copy with other timeouts. */
    public HttpListenerConfig withTimeouts(Duration header, Duration response) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, header, response, retries,
                forwardedHeaders, preserveHost, maxConnections, maxBackendConnections, backendTls, http2,
                backendIdleTimeout);
    }

    /** A copy with other size limits. */
    public HttpListenerConfig withLimits(int headerSize, long bodySize) {
        return new HttpListenerConfig(headerSize, maxRequestLine, bodySize, headerTimeout, responseTimeout, retries,
                forwardedHeaders, preserveHost, maxConnections, maxBackendConnections, backendTls, http2,
                backendIdleTimeout);
    }

    /** A copy with other connection limits. */
    public HttpListenerConfig withConnectionLimits(int clients, int perBackend) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout,
                retries, forwardedHeaders, preserveHost, clients, perBackend, backendTls, http2, backendIdleTimeout);
    }

    /** A copy with other header rewriting. */
    public HttpListenerConfig withRewriting(boolean forwarded, boolean host) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout,
                retries, forwarded, host, maxConnections, maxBackendConnections, backendTls, http2, backendIdleTimeout);
    }

    /** A copy speaking TLS to backends ({@code null} for plain HTTP). */
    public HttpListenerConfig withBackendTls(BackendTls tls) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout,
                retries, forwardedHeaders, preserveHost, maxConnections, maxBackendConnections, tls, http2,
                backendIdleTimeout);
    }

    /** A copy offering HTTP/2 by ALPN, or not. */
    public HttpListenerConfig withHttp2(boolean enabled) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout,
                retries, forwardedHeaders, preserveHost, maxConnections, maxBackendConnections, backendTls, enabled,
                backendIdleTimeout);
    }

    /** A copy keeping idle backend connections for {@code timeout}. */
    public HttpListenerConfig withBackendIdleTimeout(Duration timeout) {
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout,
                retries, forwardedHeaders, preserveHost, maxConnections, maxBackendConnections, backendTls, http2,
                timeout);
    }

    /**
     * Retries of a request whose backend refused, reset or closed the connection before answering.
     *
     * @param attempts further backends tried after the first, 0 for none (default 2)
     * @param methods the methods that may be sent again, upper case (default the idempotent ones); a request with
     *     another method is never replayed once sent
     */
    public record Retries(int attempts, Set<String> methods) {

        public Retries {
            methods = Set.copyOf(methods);
        }

        /** No retry at all. */
        public static Retries none() {
            return new Retries(0, Set.of());
        }

        /** Whether a request with {@code method} may be sent again. */
        public boolean allows(String method) {
            return methods.contains(method);
        }

        /** The methods, sorted, for messages. */
        public List<String> sortedMethods() {
            return methods.stream().sorted().toList();
        }
    }

    /**
     * TLS from the listener to its backends.
     *
     * @param ca PEM certificates to trust, or null for the JDK's default trust store
     * @param verifyHostname whether a backend's certificate must name its address (default true)
     */
    public record BackendTls(java.nio.file.Path ca, boolean verifyHostname) {
    }
}

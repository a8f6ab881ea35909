/**
 * The layer-7 (HTTP/1.1) data plane: a reverse proxy that picks a backend per request, keeps connections alive on
 * both sides with a bounded pool per backend, streams bodies both ways with backpressure, retries idempotent requests
 * a backend failed before answering, maps failures to 4xx/5xx statuses, passes WebSocket upgrades through, terminates
 * TLS (optionally offering HTTP/2 by ALPN, each stream proxied like an HTTP/1.1 request), and writes an access log
 * ({@code dev.lb.access}). The common request and response heads are relayed as bytes, their hop-by-hop lines cut
 * and the proxy's own lines appended ({@link dev.lb.runtime.http.HeadScanner}); every other goes through Netty's
 * HTTP codec.
 */
package dev.lb.runtime.http;

package dev.lb.runtime.config;

import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A socket the load balancer accepts clients on, and the pool it sends them to.
 *
 * @param name unique among listeners
 * @param protocol {@code tcp} or {@code http}
 * @param bind the address to listen on
 * @param pool the name of a pool under {@code pools}
 * @param connectTimeout how long to wait for a backend to accept a connection (default 3s)
 * @param connectAttempts how many backends to try before giving up on a client (default 3)
 * @param idleTimeout close a connection when nothing has moved in either direction for this long (default 10m)
 * @param http the settings of an {@code http} listener ({@link HttpListenerConfig#DEFAULTS} for a {@code tcp} one)
 * @param tls TLS terminated on the listener, or null for none ({@code http} listeners only)
 */
public record ListenerConfig(
        String name,
        Protocol protocol,
        InetSocketAddress bind,
        String pool,
        Duration connectTimeout,
        int connectAttempts,
        Duration idleTimeout,
        HttpListenerConfig http,
        TlsConfig tls) {

    public ListenerConfig {
        http = http == null ? HttpListenerConfig.DEFAULTS : http;
    }

    /** A listener with the default HTTP settings and no TLS. */
    public ListenerConfig(String name, Protocol protocol, InetSocketAddress bind, String pool, Duration connectTimeout,
                          int connectAttempts, Duration idleTimeout) {
        this(name, protocol, bind, pool, connectTimeout, connectAttempts, idleTimeout, HttpListenerConfig.DEFAULTS,
                null);
    }
}

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
 */
public record ListenerConfig(
        String name,
        Protocol protocol,
        InetSocketAddress bind,
        String pool,
        Duration connectTimeout,
        int connectAttempts,
        Duration idleTimeout) {
}

package dev.lb.runtime.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener: the admin API, {@code /metrics} and the status page.
 *
 * @param bind where it listens (default {@code 127.0.0.1:9900}); a non-loopback address requires a token
 * @param token the bearer token every request must carry, or null for none (loopback only); never printed
 */
public record AdminConfig(InetSocketAddress bind, String token) {

    /** The default admin address, {@code 127.0.0.1:9900}. */
    public static final int DEFAULT_PORT = 9900;

    public AdminConfig {
        Objects.requireNonNull(bind, "bind");
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("admin token must not be blank");
        }
        if (token == null && !bind.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("admin bind " + bind + " is not a loopback address: set a token");
        }
    }

    /** The token, when one is set. */
    public Optional<String> bearerToken() {
        return Optional.ofNullable(token);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "AdminConfig[bind=" + bind + ", token=" + (token == null ? "none" : "(set)") + "]";
    }
}

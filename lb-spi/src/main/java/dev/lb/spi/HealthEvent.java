package dev.lb.spi;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change in the health of a backend or a pool, as delivered to {@link Notifier}s.
 *
 * @param type what happened
 * @param time when it happened
 * @param pool the pool's name
 * @param backend the backend's name, null for pool events
 * @param address the backend's address, null for pool events
 * @param reason why, e.g. {@code 3 probes failed: connection refused}
 * @param previousStateDuration how long the state that just ended had lasted
 */
public record HealthEvent(
        EventType type,
        Instant time,
        String pool,
        String backend,
        InetSocketAddress address,
        String reason,
        Duration previousStateDuration) {

    /** Checks that the required parts are present. */
    public HealthEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(previousStateDuration, "previousStateDuration");
    }

    /** The backend's name, empty for pool events. */
    public Optional<String> backendName() {
        return Optional.ofNullable(backend);
    }

    /**
     * A one-line description for logs, e.g.
     * {@code backend-down pool=app backend=a (127.0.0.1:9001): 3 probes failed: connection refused after 2m 5s}.
     */
    public String describe() {
        StringBuilder text = new StringBuilder(type.configName()).append(" pool=").append(pool);
        if (backend != null) {
            text.append(" backend=").append(backend);
            if (address != null) {
                text.append(" (").append(address.getHostString()).append(':').append(address.getPort()).append(')');
            }
        }
        return text.append(": ").append(reason).append(" after ").append(readable(previousStateDuration)).toString();
    }

    /** {@code 25ms}, {@code 3.2s}, {@code 2m 5s}, {@code 3h 12m}, {@code 2d 4h}: as precise as a person needs. */
    static String readable(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return (millis / 100) / 10.0 + "s";
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }
}

package dev.lb.spi;

import java.util.Objects;

/** The outcome of one health check: healthy, or unhealthy with a reason an operator can act on. */
public final class ProbeResult {

    private static final ProbeResult HEALTHY = new ProbeResult(true, "ok");

    private final boolean healthy;
    private final String reason;

    private ProbeResult(boolean healthy, String reason) {
        this.healthy = healthy;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The check passed. */
    public static ProbeResult healthy() {
        return HEALTHY;
    }

    /**
     * The check failed.
     *
     * @param reason what was observed, short and specific, e.g. {@code connection refused} or
     *     {@code status 503, expected 200-399}; it ends up in events and logs
     */
    public static ProbeResult unhealthy(String reason) {
        return new ProbeResult(false, reason);
    }

    /** Whether the check passed. */
    public boolean isHealthy() {
        return healthy;
    }

    /** Why the check failed, or {@code ok}. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeResult other && healthy == other.healthy && reason.equals(other.reason);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(healthy) * 31 + reason.hashCode();
    }

    @Override
    public String toString() {
        return healthy ? "healthy" : "unhealthy: " + reason;
    }
}

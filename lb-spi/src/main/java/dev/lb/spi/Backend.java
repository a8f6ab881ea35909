package dev.lb.spi;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One backend server of a pool, as the runtime shows it to plugins: its identity, its configured weight and its live
 * figures.
 *
 * <p>Identity and configuration never change for a given instance; a change of configuration yields a new
 * {@link PoolSnapshot} with new instances. The live figures are kept by the runtime with atomics and are read without
 * locking, so they may move between two reads. Implemented by the runtime; plugins only read it (tests may implement
 * it to drive an algorithm).
 */
public interface Backend {

    /** The backend's name, unique within its pool (the configured name, or its address when none was given). */
    String name();

    /** Where the backend listens. The host is resolved when the configuration is loaded. */
    InetSocketAddress address();

    /** The configured weight, at least 1; 1 unless configured. */
    int weight();

    /** Free-form labels from configuration, e.g. {@code role: canary}; empty when none. */
    Map<String, String> labels();

    /** Connections currently open from the load balancer to this backend. */
    int activeConnections();

    /** Requests sent to this backend and not yet answered (for TCP listeners: equal to active connections). */
    int inFlightRequests();

    /**
     * An exponentially weighted moving average of this backend's latency in nanoseconds: the time to a response's
     * first byte for HTTP, the connect time for TCP. Zero while nothing has been measured.
     */
    long latencyEwmaNanos();

    /**
     * A peak-sensitive moving average of the same latency, in nanoseconds, as Finagle's peak EWMA: it jumps at once to
     * a sample above it and decays toward lower samples over time, so one slow response is felt at once and forgotten
     * gradually. Zero while nothing has been measured.
     */
    long peakLatencyEwmaNanos();

    /**
     * The {@link System#nanoTime()} at which this backend last became eligible for traffic (joined the pool, became
     * healthy or left drain), for algorithms that ramp a newcomer up slowly.
     */
    long eligibleSinceNanos();
}

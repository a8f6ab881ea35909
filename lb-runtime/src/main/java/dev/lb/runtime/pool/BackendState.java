package dev.lb.runtime.pool;

import dev.lb.runtime.config.BackendConfig;
import dev.lb.spi.Backend;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's view of one backend: its configured identity plus live figures kept with atomics, read by algorithms
 * without locking, and its health.
 *
 * <p>Health is changed only by its {@link Pool} (which then rebuilds the picker); the data plane only counts
 * connections and records latency.
 */
public final class BackendState implements Backend {

    private final String name;
    private final InetSocketAddress address;
    private final int weight;
    private final Map<String, String> labels;

    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicInteger inFlightRequests = new AtomicInteger();
    private final LatencyTracker latency = new LatencyTracker();
    private volatile boolean healthy = true;
    private volatile long eligibleSinceNanos;
    private volatile long stateSinceNanos;
    private volatile Pool pool;

    /** A backend as configured, healthy from the start (as HAProxy and nginx start them). */
    public BackendState(BackendConfig config) {
        this(config.name(), config.address(), config.weight(), config.labels());
    }

    /** A backend with the given identity, healthy from the start. */
    public BackendState(String name, InetSocketAddress address, int weight, Map<String, String> labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        if (weight < 1) {
            throw new IllegalArgumentException("backend " + name + ": weight must be at least 1, was " + weight);
        }
        this.weight = weight;
        this.labels = Map.copyOf(labels);
        long now = System.nanoTime();
        this.eligibleSinceNanos = now;
        this.stateSinceNanos = now;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public int activeConnections() {
        return activeConnections.get();
    }

    @Override
    public int inFlightRequests() {
        return inFlightRequests.get();
    }

    @Override
    public long latencyEwmaNanos() {
        return latency.ewmaNanos();
    }

    @Override
    public long peakLatencyEwmaNanos() {
        return latency.peakEwmaNanos();
    }

    @Override
    public long eligibleSinceNanos() {
        return eligibleSinceNanos;
    }

    /** The pool this backend belongs to, null until one takes it. */
    public Pool pool() {
        return pool;
    }

    /** Called once by the {@link Pool} that takes this backend. */
    void joinPool(Pool owner) {
        if (pool != null) {
            throw new IllegalArgumentException("backend " + name + " already belongs to pool " + pool.name()
                    + "; each pool needs its own backend instances");
        }
        pool = owner;
    }

    /** Whether the backend currently passes its health checks (always true for a pool without checks). */
    public boolean isHealthy() {
        return healthy;
    }

    /** The {@link System#nanoTime()} at which the current health state began. */
    public long stateSinceNanos() {
        return stateSinceNanos;
    }

    /** A TCP connection to this backend opened: it is both active and in flight for the whole relay. */
    public void connectionOpened() {
        activeConnections.incrementAndGet();
        inFlightRequests.incrementAndGet();
    }

    /** A connection counted by {@link #connectionOpened()} closed. */
    public void connectionClosed() {
        activeConnections.decrementAndGet();
        inFlightRequests.decrementAndGet();
    }

    /** An HTTP connection to this backend opened (pooled: it counts as active, not in flight, until it carries a request). */
    public void httpConnectionOpened() {
        activeConnections.incrementAndGet();
    }

    /** A connection counted by {@link #httpConnectionOpened()} closed. */
    public void httpConnectionClosed() {
        activeConnections.decrementAndGet();
    }

    /** An HTTP request was sent to this backend; it is in flight until {@link #requestEnded()}. */
    public void requestStarted() {
        inFlightRequests.incrementAndGet();
    }

    /** A request counted by {@link #requestStarted()} was answered or failed. */
    public void requestEnded() {
        inFlightRequests.decrementAndGet();
    }

    /** Records one latency sample (connect time for TCP). */
    public void recordLatency(long nanos) {
        latency.record(nanos, System.nanoTime());
    }

    /**
     * Sets the health; called by {@link Pool} under its lock.
     *
     * @return how long the previous state had lasted, in nanoseconds, or -1 when the state did not change
     */
    long setHealthy(boolean up) {
        if (healthy == up) {
            return -1;
        }
        long now = System.nanoTime();
        long lasted = now - stateSinceNanos;
        stateSinceNanos = now;
        if (up) {
            eligibleSinceNanos = now;
        }
        healthy = up;
        return lasted;
    }

    @Override
    public String toString() {
        return name + " (" + address.getHostString() + ":" + address.getPort() + ", " + (healthy ? "up" : "down") + ")";
    }
}

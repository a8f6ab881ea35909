package dev.lb.runtime.pool;

import dev.lb.runtime.config.BackendConfig;
import dev.lb.spi.Backend;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime's view of one backend: its configured identity plus live figures kept with atomics, read by algorithms
 * without locking, and its state.
 *
 * <p>The state combines three independent conditions: active health (probes), ejection (passive outlier detection)
 * and drain (operator). A backend is <em>eligible</em> for new traffic when it is healthy, not ejected and not
 * draining. The state is changed only by its {@link Pool} (which then rebuilds the picker and publishes events); the
 * data plane only counts connections and records latency.
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
    private volatile boolean ejected;
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicLong outOfRotation = new java.util.concurrent.atomic.AtomicLong();
    private volatile long eligibleSinceNanos;
    private volatile long stateSinceNanos;
    private volatile Pool pool;

    /** A backend as configured, healthy from the start (as HAProxy and nginx start them), draining if configured so. */
    public BackendState(BackendConfig config) {
        this(config.name(), config.address(), config.weight(), config.labels());
        this.draining = config.drain();
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

    /** Whether passive outlier detection has ejected this backend for a while. */
    public boolean isEjected() {
        return ejected;
    }

    /** Whether an operator has put this backend in drain: no new traffic, open connections finish. */
    public boolean isDraining() {
        return draining;
    }

    /** Whether the backend may receive new traffic: healthy, not ejected and not draining. */
    public boolean isEligible() {
        return healthy && !ejected && !draining;
    }

    /**
     * The {@link System#nanoTime()} at which the backend's current state began: when it last became eligible or
     * ineligible, or was last drained.
     */
    public long stateSinceNanos() {
        return stateSinceNanos;
    }

    /** The state in a word, for logs and status pages: {@code up}, {@code down}, {@code ejected} or {@code draining}. */
    public String stateName() {
        if (draining) {
            return "draining";
        }
        if (!healthy) {
            return "down";
        }
        return ejected ? "ejected" : "up";
    }

    /**
     * How many times health took the backend out: failed active checks marked it down, or outlier detection ejected
     * it (whether or not it was draining then).
     */
    public long ejections() {
        return outOfRotation.get();
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

    /** A pooled HTTP connection to this backend opened: active, but in flight only while it carries a request. */
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

    // The setters below are called by Pool under its lock; each returns whether the flag changed.

    boolean setHealthy(boolean up) {
        boolean changed = healthy != up;
        healthy = up;
        if (changed && !up) {
            outOfRotation.incrementAndGet();
        }
        return changed;
    }

    boolean setEjected(boolean value) {
        boolean changed = ejected != value;
        ejected = value;
        if (changed && value) {
            outOfRotation.incrementAndGet();
        }
        return changed;
    }

    boolean setDraining(boolean value) {
        boolean changed = draining != value;
        draining = value;
        return changed;
    }

    /**
     * Starts a new state at {@code now}; called by {@link Pool} under its lock.
     *
     * @return how long the state that ends had lasted, in nanoseconds
     */
    long newState(long now, boolean nowEligible) {
        long lasted = now - stateSinceNanos;
        stateSinceNanos = now;
        if (nowEligible) {
            eligibleSinceNanos = now;
        }
        return lasted;
    }

    @Override
    public String toString() {
        return name + " (" + address.getHostString() + ":" + address.getPort() + ", " + stateName() + ")";
    }
}

package dev.lb.spi.testkit;

import dev.lb.spi.Backend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Backend} whose live figures a test sets, held in atomics as the runtime holds them, so a test may move them
 * from other threads while a picker reads them.
 *
 * <p>Identity is fixed at construction: {@code new TestBackend("a")} is backend {@code a} of weight 1 at
 * {@code 127.0.0.1:8000} without labels. Live figures start at zero, and {@link #eligibleSinceNanos()} an hour in
 * the past so that a slow-start ramp is already over; the setters return {@code this} to chain:
 * {@code new TestBackend("b", 3).activeConnections(5).latencyMillis(20)}.
 */
public final class TestBackend implements Backend {

    private static final int DEFAULT_PORT = 8000;

    private final String name;
    private final int weight;
    private final InetSocketAddress address;
    private final Map<String, String> labels;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong latency = new AtomicLong();
    private final AtomicLong peakLatency = new AtomicLong();
    private final AtomicLong eligibleSince = new AtomicLong(System.nanoTime() - TimeUnit.HOURS.toNanos(1));

    /** Backend {@code name} of weight {@code weight} at {@code address}, with {@code labels}. */
    public TestBackend(String name, int weight, InetSocketAddress address, Map<String, String> labels) {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.weight = weight;
        this.address = Objects.requireNonNull(address, "address");
        this.labels = Map.copyOf(labels);
    }

    /** Backend {@code name} of weight {@code weight} at {@code 127.0.0.1:8000}, without labels. */
    public TestBackend(String name, int weight) {
        this(name, weight, loopback(DEFAULT_PORT), Map.of());
    }

    /** Backend {@code name} of weight 1 at {@code 127.0.0.1:8000}, without labels. */
    public TestBackend(String name) {
        this(name, 1);
    }

    /** Backend {@code name} of weight 1 at {@code 127.0.0.1:port}, without labels. */
    public static TestBackend onPort(String name, int port) {
        return new TestBackend(name, 1, loopback(port), Map.of());
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Sets the connections open to this backend. */
    public TestBackend activeConnections(int value) {
        connections.set(value);
        return this;
    }

    /** Sets the requests sent to this backend and not yet answered. */
    public TestBackend inFlightRequests(int value) {
        inFlight.set(value);
        return this;
    }

    /** Sets the latency EWMA. */
    public TestBackend latencyEwmaNanos(long nanos) {
        latency.set(nanos);
        return this;
    }

    /** Sets the peak latency EWMA. */
    public TestBackend peakLatencyEwmaNanos(long nanos) {
        peakLatency.set(nanos);
        return this;
    }

    /** Sets both the latency EWMA and the peak latency EWMA to {@code latency}, as after a steady run. */
    public TestBackend latency(Duration latency) {
        return latencyEwmaNanos(latency.toNanos()).peakLatencyEwmaNanos(latency.toNanos());
    }

    /** Sets both the latency EWMA and the peak latency EWMA to {@code millis} milliseconds. */
    public TestBackend latencyMillis(long millis) {
        return latency(Duration.ofMillis(millis));
    }

    /** Sets the {@link System#nanoTime()} at which this backend became eligible; now for a newcomer. */
    public TestBackend eligibleSinceNanos(long nanos) {
        eligibleSince.set(nanos);
        return this;
    }

    /** Counts a connection and a request started, as the runtime does when a pick is sent to this backend. */
    public void requestStarted() {
        connections.incrementAndGet();
        inFlight.incrementAndGet();
    }

    /** Counts a connection and a request finished: the reverse of {@link #requestStarted()}. */
    public void requestFinished() {
        connections.decrementAndGet();
        inFlight.decrementAndGet();
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
        return connections.get();
    }

    @Override
    public int inFlightRequests() {
        return inFlight.get();
    }

    @Override
    public long latencyEwmaNanos() {
        return latency.get();
    }

    @Override
    public long peakLatencyEwmaNanos() {
        return peakLatency.get();
    }

    @Override
    public long eligibleSinceNanos() {
        return eligibleSince.get();
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A backend whose live figures a test sets. */
final class TestBackend implements Backend {

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong latency = new AtomicLong();
    final AtomicLong peakLatency = new AtomicLong();
    final AtomicLong eligibleSince = new AtomicLong(System.nanoTime() - 3_600_000_000_000L);

    private final String name;
    private final int weight;
    private final InetSocketAddress address;

    TestBackend(String name, int weight) {
        this.name = name;
        this.weight = weight;
        this.address = InetSocketAddress.createUnresolved("127.0.0.1", 8000);
    }

    TestBackend(String name) {
        this(name, 1);
    }

    TestBackend connections(int value) {
        connections.set(value);
        return this;
    }

    TestBackend inFlight(int value) {
        inFlight.set(value);
        return this;
    }

    TestBackend latencyMillis(long millis) {
        latency.set(millis * 1_000_000L);
        peakLatency.set(millis * 1_000_000L);
        return this;
    }

    TestBackend eligibleSince(long nanos) {
        eligibleSince.set(nanos);
        return this;
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
        return Map.of();
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

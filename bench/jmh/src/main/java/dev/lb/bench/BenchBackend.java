package dev.lb.bench;

import dev.lb.spi.Backend;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A backend with live figures held in atomics, as the runtime keeps them. */
final class BenchBackend implements Backend {

    private final String name;
    private final int weight;
    private final InetSocketAddress address;
    private final AtomicInteger connections;
    private final AtomicInteger inFlight;
    private final AtomicLong latency;
    private final AtomicLong peakLatency;
    private final long eligibleSince;

    BenchBackend(String name, int weight, int connections, int inFlight, long latencyNanos, long eligibleSince) {
        this.name = name;
        this.weight = weight;
        this.address = InetSocketAddress.createUnresolved("127.0.0.1", 8080);
        this.connections = new AtomicInteger(connections);
        this.inFlight = new AtomicInteger(inFlight);
        this.latency = new AtomicLong(latencyNanos);
        this.peakLatency = new AtomicLong(latencyNanos + latencyNanos / 4);
        this.eligibleSince = eligibleSince;
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
        return eligibleSince;
    }
}

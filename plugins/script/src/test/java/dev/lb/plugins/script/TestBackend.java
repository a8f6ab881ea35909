package dev.lb.plugins.script;

import dev.lb.spi.Backend;
import java.net.InetSocketAddress;
import java.util.Map;

/** A backend with settable live figures, for unit tests. */
final class TestBackend implements Backend {

    private final String name;
    private final int port;
    volatile long latencyNanos;
    volatile int active;

    TestBackend(String name, int port) {
        this.name = name;
        this.port = port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public int weight() {
        return 1;
    }

    @Override
    public Map<String, String> labels() {
        return Map.of("port", String.valueOf(port));
    }

    @Override
    public int activeConnections() {
        return active;
    }

    @Override
    public int inFlightRequests() {
        return active;
    }

    @Override
    public long latencyEwmaNanos() {
        return latencyNanos;
    }

    @Override
    public long peakLatencyEwmaNanos() {
        return latencyNanos;
    }

    @Override
    public long eligibleSinceNanos() {
        return 0;
    }

    @Override
    public String toString() {
        return name;
    }
}

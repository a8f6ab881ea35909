package dev.lb.plugins.probes;

import dev.lb.spi.Backend;
import dev.lb.spi.ProbeTarget;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/** Backends and probe targets on 127.0.0.1 for probe tests. */
final class TestTargets {

    private TestTargets() {
    }

    static ProbeTarget target(int port, Duration timeout) {
        Backend backend = new LoopbackBackend(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new Target(backend, timeout);
    }

    record Target(Backend backend, Duration timeout) implements ProbeTarget {
    }

    record LoopbackBackend(InetSocketAddress address) implements Backend {
        @Override
        public String name() {
            return "b-" + address.getPort();
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public Map<String, String> labels() {
            return Map.of();
        }

        @Override
        public int activeConnections() {
            return 0;
        }

        @Override
        public int inFlightRequests() {
            return 0;
        }

        @Override
        public long latencyEwmaNanos() {
            return 0;
        }

        @Override
        public long peakLatencyEwmaNanos() {
            return 0;
        }

        @Override
        public long eligibleSinceNanos() {
            return 0;
        }
    }
}

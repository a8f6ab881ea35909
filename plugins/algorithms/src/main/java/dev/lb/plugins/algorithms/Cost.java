package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.Protocol;

/**
 * How a load-aware algorithm rates a backend before weighting: lower is better. Implementations read the backend's
 * live figures (atomics) and must not allocate.
 */
enum Cost {

    /** Open connections for TCP, requests in flight for HTTP (see {@link Loads}), plus one. */
    LOAD {
        @Override
        double of(Backend backend, Protocol protocol) {
            // Plus one so that, between idle backends, weight still decides (HAProxy's leastconn does the same).
            return Loads.of(backend, protocol) + 1.0;
        }
    },

    /** The latency EWMA times (load + 1): the expected wait behind what is already queued. */
    LATENCY {
        @Override
        double of(Backend backend, Protocol protocol) {
            return latencyCost(backend.latencyEwmaNanos(), Loads.of(backend, protocol));
        }
    },

    /** As {@link #LATENCY} with the peak-sensitive EWMA (Finagle's peak EWMA load metric). */
    PEAK_LATENCY {
        @Override
        double of(Backend backend, Protocol protocol) {
            return latencyCost(backend.peakLatencyEwmaNanos(), Loads.of(backend, protocol));
        }
    };

    /**
     * The latency assumed for an unmeasured backend that already has work (about 11 days in nanoseconds): more than
     * any measured one, so it is not flooded before its first answer comes back, while its load still orders it among
     * other unmeasured ones. Unmeasured and idle costs zero, so a newcomer gets its first requests at once.
     */
    static final double UNMEASURED_PENALTY = 1e15;

    abstract double of(Backend backend, Protocol protocol);

    private static double latencyCost(long latencyNanos, int load) {
        if (latencyNanos <= 0) {
            return load == 0 ? 0.0 : UNMEASURED_PENALTY * (load + 1);
        }
        return (double) latencyNanos * (load + 1);
    }
}

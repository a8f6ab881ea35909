package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.Protocol;

/**
 * How a load-aware algorithm rates a backend before weighting: lower is better. A cost is a whole number, so that
 * costs divided by weights compare exactly by cross-multiplication ({@link LoadAwarePicker}). Reading a cost reads the
 * backend's live figures (atomics) once each and does not allocate.
 */
enum Cost {

    /** Open connections for TCP, requests in flight for HTTP (see {@link Loads}), plus one. */
    LOAD,

    /** The latency EWMA times (load + 1): the expected wait behind what is already queued. */
    LATENCY,

    /** As {@link #LATENCY} with the peak-sensitive EWMA (Finagle's peak EWMA load metric). */
    PEAK_LATENCY;

    /**
     * The latency assumed for an unmeasured backend that already has work (about 11 days in nanoseconds): more than
     * any measured one, so it is not flooded before its first answer comes back, while its load still orders it among
     * other unmeasured ones. Unmeasured and idle costs zero, so a newcomer gets its first requests at once.
     */
    static final long UNMEASURED_PENALTY = 1_000_000_000_000_000L;

    /**
     * {@code backend}'s cost, from 0 to {@link Long#MAX_VALUE}: a latency cost beyond that (e.g. an unmeasured backend
     * with more than 9222 requests waiting) saturates there, and such backends tie.
     */
    long of(Backend backend, Protocol protocol) {
        // Plus one so that, between idle backends, weight still decides (HAProxy's leastconn does the same).
        // A counter read while it is being corrected may be briefly negative: count it as idle.
        long load = Math.max(0, Loads.of(backend, protocol)) + 1L;
        if (this == LOAD) {
            return load;
        }
        long latency = this == LATENCY ? backend.latencyEwmaNanos() : backend.peakLatencyEwmaNanos();
        if (latency <= 0) {
            if (load == 1) {
                return 0;
            }
            latency = UNMEASURED_PENALTY;
        }
        long cost = latency * load;
        // load is below 2^32, so the product overflowed exactly when its high half is set or it went negative.
        return (Math.multiplyHigh(latency, load) | (cost >>> 63)) == 0 ? cost : Long.MAX_VALUE;
    }
}

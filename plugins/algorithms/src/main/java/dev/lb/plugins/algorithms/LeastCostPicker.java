package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.Protocol;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the eligible backend of least {@link Cost} divided by its (ramped) weight, reading every backend's live
 * figures: exact, and linear in the number of backends.
 *
 * <p>Ties are broken round robin: when several backends share the least cost, a shared counter, advanced only on
 * ties, chooses the next of them in order, so equal backends take turns instead of the first one taking everything.
 */
final class LeastCostPicker implements Picker {

    private final Backend[] backends;
    private final long[] weight;
    private final double[] inverseWeight;
    private final Cost cost;
    private final SlowStart.Ramp ramp;
    private final AtomicInteger ties;

    LeastCostPicker(Backend[] backends, boolean weighted, Cost cost, SlowStart.Ramp ramp, AtomicInteger ties) {
        this.backends = backends;
        this.weight = new long[backends.length];
        this.inverseWeight = new double[backends.length];
        for (int i = 0; i < backends.length; i++) {
            weight[i] = weighted ? Math.max(1, backends[i].weight()) : 1;
            inverseWeight[i] = 1.0 / weight[i];
        }
        this.cost = cost;
        this.ramp = ramp;
        this.ties = ties;
    }

    @Override
    public Backend pick(PickContext context) {
        Protocol protocol = context.protocol();
        long now = ramp == null ? SlowStart.Ramp.OVER : ramp.now();
        boolean ramping = now != SlowStart.Ramp.OVER;
        if (cost == Cost.LOAD && !ramping) {
            return pickByLoad(protocol);
        }
        double best = Double.POSITIVE_INFINITY;
        int first = 0;
        int count = 0;
        for (int i = 0; i < backends.length; i++) {
            double c = score(i, protocol, ramping, now);
            if (c < best) {
                best = c;
                first = i;
                count = 1;
            } else if (c == best) {
                count++;
            }
        }
        if (count <= 1) {
            return backends[first];
        }
        int wanted = Math.floorMod(ties.getAndIncrement(), count);
        if (wanted == 0) {
            return backends[first];
        }
        // Second pass to find the wanted tie; figures may have moved since, in which case the first tie stands.
        int seen = 0;
        for (int i = first; i < backends.length; i++) {
            if (score(i, protocol, ramping, now) == best && seen++ == wanted) {
                return backends[i];
            }
        }
        return backends[first];
    }

    /**
     * The common case in integers: least (load + 1) / weight, compared by cross-multiplication (no division, no
     * floating point), with the same round-robin tie-break.
     */
    private Backend pickByLoad(Protocol protocol) {
        long bestLoad = Long.MAX_VALUE;
        long bestWeight = 1;
        int first = 0;
        int count = 0;
        for (int i = 0; i < backends.length; i++) {
            long load = Loads.of(backends[i], protocol) + 1L;
            long w = weight[i];
            long lhs = load * bestWeight;
            long rhs = bestLoad == Long.MAX_VALUE ? Long.MAX_VALUE : bestLoad * w;
            if (lhs < rhs) {
                bestLoad = load;
                bestWeight = w;
                first = i;
                count = 1;
            } else if (lhs == rhs) {
                count++;
            }
        }
        if (count <= 1) {
            return backends[first];
        }
        int wanted = Math.floorMod(ties.getAndIncrement(), count);
        int seen = 0;
        for (int i = first; i < backends.length && wanted > 0; i++) {
            if ((Loads.of(backends[i], protocol) + 1L) * bestWeight == bestLoad * weight[i] && seen++ == wanted) {
                return backends[i];
            }
        }
        return backends[first];
    }

    private double score(int i, Protocol protocol, boolean ramping, long now) {
        double c = cost.of(backends[i], protocol) * inverseWeight[i];
        if (!ramping) {
            return c;
        }
        double factor = ramp.factor(i, now);
        return factor == 1.0 ? c : c / factor;
    }
}

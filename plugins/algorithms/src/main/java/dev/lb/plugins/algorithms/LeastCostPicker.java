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
    private final double[] inverseWeight;
    private final Cost cost;
    private final SlowStart.Ramp ramp;
    private final AtomicInteger ties;

    LeastCostPicker(Backend[] backends, boolean weighted, Cost cost, SlowStart.Ramp ramp, AtomicInteger ties) {
        this.backends = backends;
        this.inverseWeight = new double[backends.length];
        for (int i = 0; i < backends.length; i++) {
            inverseWeight[i] = weighted ? 1.0 / Math.max(1, backends[i].weight()) : 1.0;
        }
        this.cost = cost;
        this.ramp = ramp;
        this.ties = ties;
    }

    @Override
    public Backend pick(PickContext context) {
        Protocol protocol = context.protocol();
        boolean ramping = ramp != null && ramp.active();
        long now = ramping ? System.nanoTime() : 0L;
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

    private double score(int i, Protocol protocol, boolean ramping, long now) {
        double c = cost.of(backends[i], protocol) * inverseWeight[i];
        return ramping ? c / ramp.factor(i, now) : c;
    }
}

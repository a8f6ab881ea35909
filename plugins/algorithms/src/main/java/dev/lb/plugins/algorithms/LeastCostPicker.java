package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the eligible backend of least {@link Cost} divided by its (ramped) weight, reading every backend's live
 * figures: exact, and linear in the number of backends.
 *
 * <p>Ties are broken round robin: when several backends share the least cost, a shared counter, advanced only on
 * ties, chooses the next of them in order, so equal backends take turns instead of the first one taking everything.
 * In a pool of up to {@value #ONE_PASS} backends the tied ones are remembered in a bit mask during the scan, so each
 * backend's figures are read once per pick; in a larger one a tie costs a second pass from the first tie on.
 */
final class LeastCostPicker extends LoadAwarePicker {

    /** Pools up to this size are resolved in one pass (one bit per backend in a long). */
    static final int ONE_PASS = Long.SIZE;

    private final AtomicInteger ties;

    LeastCostPicker(Backend[] backends, boolean weighted, Cost cost, SlowStart.Ramp ramp, AtomicInteger ties) {
        super(backends, weighted, cost, ramp);
        this.ties = ties;
    }

    @Override
    public Backend pick(PickContext context) {
        Backend[] backends = this.backends;
        long[] weights = this.weights;
        Cost cost = this.cost;
        SlowStart.Ramp ramp = this.ramp;
        Protocol protocol = context.protocol();
        // The pick's time, read once, and not at all unless some backend of this snapshot ramps.
        long now = ramp == null ? SlowStart.Ramp.OVER : ramp.now(context);
        int n = backends.length;
        long bestCost = cost.of(backends[0], protocol);
        long bestWeight = weight(weights, ramp, 0, now);
        int first = 0;
        int count = 1;
        long tied = 1L; // bit i: backend i ties with the best so far (meaningful for pools up to ONE_PASS)
        for (int i = 1; i < n; i++) {
            long c = cost.of(backends[i], protocol);
            long w = weight(weights, ramp, i, now);
            int order = compare(c, w, bestCost, bestWeight);
            if (order < 0) {
                bestCost = c;
                bestWeight = w;
                first = i;
                count = 1;
                tied = 1L << i;
            } else if (order == 0) {
                count++;
                tied |= 1L << i;
            }
        }
        if (count == 1) {
            return backends[first];
        }
        int wanted = Math.floorMod(ties.getAndIncrement(), count);
        if (n <= ONE_PASS) {
            for (int skip = 0; skip < wanted; skip++) {
                tied &= tied - 1; // drops the lowest tie
            }
            return backends[Long.numberOfTrailingZeros(tied)];
        }
        return backends[nthTie(wanted, first, bestCost, bestWeight, protocol, now)];
    }

    /**
     * The {@code wanted}-th tie (from zero) from {@code first} on, re-reading figures; if they have moved since the
     * first pass and it is gone, the first tie stands.
     */
    private int nthTie(int wanted, int first, long bestCost, long bestWeight, Protocol protocol, long now) {
        int seen = 0;
        for (int i = first; i < backends.length && wanted > 0; i++) {
            if (compare(cost.of(backends[i], protocol), weight(weights, ramp, i, now), bestCost, bestWeight) == 0
                    && seen++ == wanted) {
                return i;
            }
        }
        return first;
    }
}

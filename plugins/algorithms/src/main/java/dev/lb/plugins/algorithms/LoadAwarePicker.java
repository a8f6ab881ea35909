package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import dev.lb.spi.Protocol;

/**
 * The common half of the load-aware pickers, the exact scan ({@link LeastCostPicker}) and the random draws
 * ({@link RandomChoicesPicker}): what they compare, for one snapshot, so that both rate a backend the same way. Each
 * eligible backend scores its {@link Cost} over its weight, the weight scaled by its slow-start share while it ramps.
 *
 * <p>All in integers: a cost is a long, a weight is the configured weight (or 1 when weights are ignored) times the
 * ramp's share in steps, and cost / weight is compared by cross-multiplication, into 128 bits when 64 do not suffice,
 * so the comparison is exact (equal ratios tie, whatever the weights) and needs no division or floating point.
 *
 * <p>The arrays are final fields of the picker itself; a pick copies them into locals first, since the JIT may not
 * keep a field across the volatile reads of the backends' figures.
 */
abstract sealed class LoadAwarePicker implements Picker permits LeastCostPicker, RandomChoicesPicker {

    final Backend[] backends;
    /** The configured weights, at least 1 (all 1 when weights are ignored). */
    final long[] weights;
    final Cost cost;
    /** Null when no backend of the snapshot ramps: then the ramp costs nothing. */
    final SlowStart.Ramp ramp;

    LoadAwarePicker(Backend[] backends, boolean weighted, Cost cost, SlowStart.Ramp ramp) {
        this.backends = backends;
        this.weights = new long[backends.length];
        for (int i = 0; i < backends.length; i++) {
            weights[i] = weighted ? Math.max(1, backends[i].weight()) : 1;
        }
        this.cost = cost;
        this.ramp = ramp;
    }

    /**
     * Backend {@code index}'s weight at {@code now}, a reading of {@link SlowStart.Ramp#now} (with no ramp, or for a
     * backend that does not ramp, {@code now} is ignored and may be anything).
     */
    static long weight(long[] weights, SlowStart.Ramp ramp, int index, long now) {
        return ramp == null ? weights[index] : weights[index] * ramp.share(index, now);
    }

    /**
     * All ones when {@code cost1 / weight1} is less than {@code cost2 / weight2}, else zero: a mask, so that a picker
     * can keep the lesser without a branch (which, between random draws, the processor would mispredict often).
     */
    static long lessMask(long cost1, long weight1, long cost2, long weight2) {
        if (((cost1 | cost2) >>> 32 | (weight1 | weight2) >>> 31) == 0) {
            // Both products are below 2^63, so their difference cannot overflow: its sign is the answer.
            return (cost1 * weight2 - cost2 * weight1) >> 63;
        }
        return compare(cost1, weight1, cost2, weight2) < 0 ? -1L : 0L;
    }

    /**
     * Compares {@code cost1 / weight1} with {@code cost2 / weight2} exactly: negative, zero or positive as the first
     * is less, equal or greater. Costs are from 0 to {@link Long#MAX_VALUE}, weights from 1 to 2^47 (an int weight
     * times at most {@value SlowStart#MAX_STEPS} steps), so each cross product fits in 128 bits.
     */
    static int compare(long cost1, long weight1, long cost2, long weight2) {
        if (((cost1 | cost2) >>> 32 | (weight1 | weight2) >>> 31) == 0) {
            // The common case: both products are below 2^63.
            return Long.compare(cost1 * weight2, cost2 * weight1);
        }
        long high1 = Math.multiplyHigh(cost1, weight2);
        long high2 = Math.multiplyHigh(cost2, weight1);
        return high1 != high2 ? Long.compare(high1, high2) : Long.compareUnsigned(cost1 * weight2, cost2 * weight1);
    }
}

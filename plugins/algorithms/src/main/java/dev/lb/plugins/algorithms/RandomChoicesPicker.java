package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The power of d choices: draws {@code d} eligible backends uniformly at random (the first two distinct, any further
 * ones independently) and takes the one of lowest {@link Cost} divided by its (ramped) weight, the earlier drawn on
 * ties. Constant time whatever the pool's size, and it avoids the herd that an exact minimum causes when many pickers
 * see the same stale figures at once. With {@code d = 2} this is the classic power of two choices.
 */
final class RandomChoicesPicker extends LoadAwarePicker {

    private static final long LOW_HALF = 0xFFFFFFFFL;

    private final int choices;

    RandomChoicesPicker(Backend[] backends, boolean weighted, Cost cost, SlowStart.Ramp ramp, int choices) {
        super(backends, weighted, cost, ramp);
        this.choices = choices;
    }

    // Kept small (in bytecode) on purpose, so that the JIT can inline it into the caller.
    @Override
    public Backend pick(PickContext context) {
        Backend[] backends = this.backends;
        int n = backends.length;
        if (n == 1) {
            return backends[0];
        }
        long[] weights = this.weights;
        Cost cost = this.cost;
        SlowStart.Ramp ramp = this.ramp;
        Protocol protocol = context.protocol();
        // The pick's time, taken from the context up front (a field, not a clock read), so that the context is not
        // kept alive through the draws; not read at all unless some backend of this snapshot ramps.
        long now = ramp == null ? SlowStart.Ramp.OVER : ramp.now(context);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Draws in pairs from one random long: its high and low halves, each scaled to its range by multiply-and-shift.
        long r = random.nextLong();
        int best = below(r >>> 32, n);
        long bestCost = cost.of(backends[best], protocol);
        long bestWeight = weight(weights, ramp, best, now);
        for (int draw = 1; draw < choices; draw++) {
            if ((draw & 1) == 0) {
                r = random.nextLong();
            }
            int other = draw == 1 ? second(best, r, n) : below((draw & 1) == 0 ? r >>> 32 : r & LOW_HALF, n);
            long otherCost = cost.of(backends[other], protocol);
            long otherWeight = weight(weights, ramp, other, now);
            // Keeps the lesser without a branch: which of two random draws wins is a coin toss the processor would
            // mispredict half the time, each miss costing more than these few instructions.
            long less = lessMask(otherCost, otherWeight, bestCost, bestWeight);
            best ^= (best ^ other) & (int) less;
            bestCost ^= (bestCost ^ otherCost) & less;
            bestWeight ^= (bestWeight ^ otherWeight) & less;
        }
        return backends[best];
    }

    /** The second draw, from the low half of {@code r}: uniform over the {@code n - 1} backends other than the first. */
    private static int second(int first, long r, int n) {
        int other = first + 1 + below(r & LOW_HALF, n - 1);
        return other >= n ? other - n : other;
    }

    /** Maps 32 random bits uniformly (to within 2^-32) onto {@code [0, bound)}. */
    private static int below(long bits32, int bound) {
        return (int) ((bits32 * bound) >>> 32);
    }
}

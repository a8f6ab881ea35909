package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.Protocol;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The power of d choices: draws {@code d} eligible backends uniformly at random (the first two distinct, any further
 * ones independently) and takes the one of lowest {@link Cost} divided by its (ramped) weight, the earlier drawn on
 * ties. Constant time whatever the pool's size, and it avoids the herd that an exact minimum causes when many pickers
 * see the same stale figures at once. With {@code d = 2} this is the classic power of two choices.
 */
final class RandomChoicesPicker implements Picker {

    private static final long LOW_HALF = 0xFFFFFFFFL;

    private final Backend[] backends;
    private final double[] inverseWeight;
    private final Cost cost;
    private final SlowStart.Ramp ramp;
    private final int choices;

    RandomChoicesPicker(Backend[] backends, boolean weighted, Cost cost, SlowStart.Ramp ramp, int choices) {
        this.backends = backends;
        this.inverseWeight = new double[backends.length];
        for (int i = 0; i < backends.length; i++) {
            inverseWeight[i] = weighted ? 1.0 / Math.max(1, backends[i].weight()) : 1.0;
        }
        this.cost = cost;
        this.ramp = ramp;
        this.choices = choices;
    }

    @Override
    public Backend pick(PickContext context) {
        int n = backends.length;
        if (n == 1) {
            return backends[0];
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Protocol protocol = context.protocol();
        long now = ramp == null ? SlowStart.Ramp.OVER : ramp.now();
        // Two draws from one random long: its high and low halves, each scaled to its range by multiply-and-shift.
        long r = random.nextLong();
        int best = below(r >>> 32, n);
        int second = best + 1 + below(r & LOW_HALF, n - 1);
        if (second >= n) {
            second -= n;
        }
        double bestCost = cost(best, protocol, now);
        double secondCost = cost(second, protocol, now);
        if (secondCost < bestCost) {
            best = second;
            bestCost = secondCost;
        }
        for (int draw = 2; draw < choices; draw++) {
            if ((draw & 1) == 0) {
                r = random.nextLong();
            }
            int other = below((draw & 1) == 0 ? r >>> 32 : r & LOW_HALF, n);
            double otherCost = cost(other, protocol, now);
            if (otherCost < bestCost) {
                best = other;
                bestCost = otherCost;
            }
        }
        return backends[best];
    }

    /** Maps 32 random bits uniformly (to within 2^-32) onto {@code [0, bound)}. */
    private static int below(long bits32, int bound) {
        return (int) ((bits32 * bound) >>> 32);
    }

    private double cost(int i, Protocol protocol, long now) {
        double c = cost.of(backends[i], protocol) * inverseWeight[i];
        return now == SlowStart.Ramp.OVER ? c : c / ramp.factor(i, now);
    }
}

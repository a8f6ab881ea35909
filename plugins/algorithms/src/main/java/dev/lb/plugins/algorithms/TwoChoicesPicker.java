package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.Protocol;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The power of two choices: draws two distinct eligible backends uniformly at random and takes the one of lower
 * {@link Cost} divided by its (ramped) weight. Constant time whatever the pool's size, and it avoids the herd that an
 * exact minimum causes when many pickers see the same stale figures at once.
 */
final class TwoChoicesPicker implements Picker {

    private final Backend[] backends;
    private final double[] inverseWeight;
    private final Cost cost;
    private final SlowStart.Ramp ramp;

    TwoChoicesPicker(Backend[] backends, Cost cost, SlowStart.Ramp ramp) {
        this.backends = backends;
        this.inverseWeight = new double[backends.length];
        for (int i = 0; i < backends.length; i++) {
            inverseWeight[i] = 1.0 / Math.max(1, backends[i].weight());
        }
        this.cost = cost;
        this.ramp = ramp;
    }

    @Override
    public Backend pick(PickContext context) {
        int n = backends.length;
        if (n == 1) {
            return backends[0];
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = a + 1 + random.nextInt(n - 1);
        if (b >= n) {
            b -= n;
        }
        Protocol protocol = context.protocol();
        double costA = cost.of(backends[a], protocol) * inverseWeight[a];
        double costB = cost.of(backends[b], protocol) * inverseWeight[b];
        long now = ramp == null ? SlowStart.Ramp.OVER : ramp.now();
        if (now != SlowStart.Ramp.OVER) {
            costA /= ramp.factor(a, now);
            costB /= ramp.factor(b, now);
        }
        return costB < costA ? backends[b] : backends[a];
    }
}

package dev.lb.plugins.algorithms;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PoolSnapshot;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code weighted-round-robin}: each eligible backend in turn, as often as its weight, interleaved smoothly as nginx
 * does (weights 5:1:1 give {@code a a b a c a a}, never five in a row). The whole cycle is computed when the picker is
 * built, so a pick is one atomic increment and an array read. Setting: {@code slow-start}.
 */
public final class WeightedRoundRobinProvider implements AlgorithmProvider {

    @Override
    public String name() {
        return "weighted-round-robin";
    }

    @Override
    public String description() {
        return "each eligible backend in turn as often as its weight, smoothly interleaved (nginx)";
    }

    @Override
    public Algorithm create(PluginConfig config) {
        SlowStart slowStart = SlowStart.read(config);
        // The position outlives each snapshot, so a health change does not restart the cycle.
        AtomicInteger position = new AtomicInteger();
        return snapshot -> newPicker(snapshot, slowStart, position);
    }

    private static Picker newPicker(PoolSnapshot snapshot, SlowStart slowStart, AtomicInteger position) {
        Backend[] backends = snapshot.eligible().toArray(Backend[]::new);
        if (backends.length == 0) {
            return Weights::none;
        }
        return new WrrPicker(backends, SmoothSequence.of(Weights.of(backends)), slowStart.rampFor(backends), position);
    }

    private static final class WrrPicker implements Picker {

        private final Backend[] backends;
        private final int[] sequence;
        private final SlowStart.Ramp ramp;
        private final AtomicInteger position;

        WrrPicker(Backend[] backends, int[] sequence, SlowStart.Ramp ramp, AtomicInteger position) {
            this.backends = backends;
            this.sequence = sequence;
            this.ramp = ramp;
            this.position = position;
        }

        @Override
        public Backend pick(PickContext context) {
            int index = next();
            if (ramp != null && ramp.ramping(index)) {
                // Rejection, as in weighted-random; the pick's time is read only when a ramping backend comes up.
                long now = ramp.now(context);
                for (int draw = 1; draw < Weights.RAMP_DRAWS && !ramp.keeps(index, now); draw++) {
                    index = next();
                }
            }
            return backends[index];
        }

        private int next() {
            return sequence[Math.floorMod(position.getAndIncrement(), sequence.length)];
        }
    }
}

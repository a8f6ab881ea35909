package dev.lb.plugins.algorithms;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PoolSnapshot;

/**
 * {@code weighted-random}: an eligible backend drawn at random with probability proportional to its weight, in
 * constant time (alias method). Setting: {@code slow-start}.
 */
public final class WeightedRandomProvider implements AlgorithmProvider {

    @Override
    public String name() {
        return "weighted-random";
    }

    @Override
    public String description() {
        return "an eligible backend drawn at random in proportion to its weight";
    }

    @Override
    public Algorithm create(PluginConfig config) {
        SlowStart slowStart = SlowStart.read(config);
        return snapshot -> newPicker(snapshot, slowStart);
    }

    private static Picker newPicker(PoolSnapshot snapshot, SlowStart slowStart) {
        Backend[] backends = snapshot.eligible().toArray(Backend[]::new);
        if (backends.length == 0) {
            return Weights::none;
        }
        return new WeightedRandomPicker(backends, new AliasTable(Weights.of(backends)), slowStart.rampFor(backends));
    }

    private record WeightedRandomPicker(Backend[] backends, AliasTable table, SlowStart.Ramp ramp) implements Picker {

        @Override
        public Backend pick(PickContext context) {
            int index = table.next();
            if (ramp != null && ramp.ramping(index)) {
                // Rejection sampling: a ramping backend's share is its weight times its ramp; the pick's time is read
                // once, and only when a ramping backend comes up.
                long now = ramp.now(context);
                for (int draw = 1; draw < Weights.RAMP_DRAWS && !ramp.keeps(index, now); draw++) {
                    index = table.next();
                }
            }
            return backends[index];
        }
    }
}

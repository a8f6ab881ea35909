package dev.lb.plugins.algorithms;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PluginConfig;
import java.util.concurrent.ThreadLocalRandom;

/** {@code random}: an eligible backend chosen uniformly at random, ignoring weights. No settings. */
public final class RandomProvider implements AlgorithmProvider {

    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "an eligible backend chosen uniformly at random, ignoring weights";
    }

    @Override
    public Algorithm create(PluginConfig config) {
        return snapshot -> {
            Backend[] backends = snapshot.eligible().toArray(Backend[]::new);
            if (backends.length == 0) {
                return context -> null;
            }
            return context -> backends[ThreadLocalRandom.current().nextInt(backends.length)];
        };
    }
}

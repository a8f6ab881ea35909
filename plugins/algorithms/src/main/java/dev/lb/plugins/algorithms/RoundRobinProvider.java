package dev.lb.plugins.algorithms;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PluginConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code round-robin}: each eligible backend in turn, ignoring weights. No settings. */
public final class RoundRobinProvider implements AlgorithmProvider {

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public String description() {
        return "each eligible backend in turn, ignoring weights";
    }

    @Override
    public Algorithm create(PluginConfig config) {
        // The position outlives each snapshot, so a health change does not restart the rotation at the first backend.
        AtomicInteger position = new AtomicInteger();
        return snapshot -> {
            List<Backend> eligible = snapshot.eligible();
            if (eligible.isEmpty()) {
                return context -> null;
            }
            Backend[] backends = eligible.toArray(Backend[]::new);
            return context -> backends[Math.floorMod(position.getAndIncrement(), backends.length)];
        };
    }
}

package dev.lb.plugins.algorithms;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PoolSnapshot;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The common half of the algorithms that read live figures: the least-* family (an exact scan) and the two-choices
 * family (two random draws). Each concrete provider fixes the name, the {@link Cost}, the strategy and whether weights
 * count. Setting: {@code slow-start}.
 */
abstract sealed class LoadAwareProvider implements AlgorithmProvider
        permits LeastConnectionsProvider, WeightedLeastConnectionsProvider, LeastResponseTimeProvider,
        PeakEwmaProvider, PowerOfTwoChoicesProvider {

    /** How the backend of least cost is found. */
    enum Strategy {
        /** Reads every eligible backend and takes the least; ties round robin. */
        SCAN,
        /** Takes the better of two drawn at random. */
        TWO_CHOICES
    }

    private final String name;
    private final String description;
    private final Cost cost;
    private final Strategy strategy;
    private final boolean weighted;

    LoadAwareProvider(String name, String description, Cost cost, Strategy strategy, boolean weighted) {
        this.name = name;
        this.description = description;
        this.cost = cost;
        this.strategy = strategy;
        this.weighted = weighted;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Algorithm create(PluginConfig config) {
        SlowStart slowStart = SlowStart.read(config);
        // The tie counter outlives snapshots so round-robin tie-breaking continues across pool changes.
        AtomicInteger ties = new AtomicInteger();
        return snapshot -> newPicker(snapshot, slowStart, ties);
    }

    private Picker newPicker(PoolSnapshot snapshot, SlowStart slowStart, AtomicInteger ties) {
        Backend[] backends = snapshot.eligible().toArray(Backend[]::new);
        if (backends.length == 0) {
            return Weights::none;
        }
        SlowStart.Ramp ramp = slowStart.rampFor(backends);
        return switch (strategy) {
            case SCAN -> new LeastCostPicker(backends, weighted, cost, ramp, ties);
            case TWO_CHOICES -> new TwoChoicesPicker(backends, cost, ramp);
        };
    }
}

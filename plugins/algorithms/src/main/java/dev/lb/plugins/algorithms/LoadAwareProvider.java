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
 * count. Settings: {@code slow-start}; for the scanning ones also {@code choices}: {@code auto} (default: the exact
 * scan while the pool has at most {@value #EXACT_UP_TO} eligible backends, else the least of {@value #AUTO_DRAWS} drawn
 * at random, so a pick stays constant time in a large pool, as Envoy's least-request does), {@code all} (the exact scan
 * at any size: a pick reads every backend) or a number of backends from 2 to {@value #MAX_CHOICES} drawn at random per
 * pick, the least of which is taken.
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

    static final String CHOICES = "choices";
    static final int MAX_CHOICES = 64;
    /** With {@code choices: auto}, pools up to this many eligible backends are scanned exactly (a pick within ~50ns). */
    static final int EXACT_UP_TO = 16;
    /** With {@code choices: auto}, larger pools take the least of this many random draws. */
    static final int AUTO_DRAWS = 4;
    private static final int AUTO = -1;
    private static final int ALL = 0;

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
        int choices = strategy == Strategy.SCAN ? readChoices(config) : 2;
        // The tie counter outlives snapshots so round-robin tie-breaking continues across pool changes.
        AtomicInteger ties = new AtomicInteger();
        return snapshot -> newPicker(snapshot, slowStart, ties, choices);
    }

    /** Reads {@code choices}: {@link #AUTO}, {@link #ALL}, or the number of random draws. */
    private static int readChoices(PluginConfig config) {
        String text = config.string(CHOICES, "auto").trim();
        if (text.equals("auto")) {
            return AUTO;
        }
        if (text.equals("all")) {
            return ALL;
        }
        String problem = "must be 'auto' (exact up to " + EXACT_UP_TO + " backends, else " + AUTO_DRAWS
                + " random draws), 'all' (every backend, exact) or a number of random draws from 2 to " + MAX_CHOICES
                + ", was '" + text + "'";
        int choices;
        try {
            choices = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw config.invalid(CHOICES, problem);
        }
        if (choices < 2 || choices > MAX_CHOICES) {
            throw config.invalid(CHOICES, problem);
        }
        return choices;
    }

    private Picker newPicker(PoolSnapshot snapshot, SlowStart slowStart, AtomicInteger ties, int choices) {
        Backend[] backends = snapshot.eligible().toArray(Backend[]::new);
        if (backends.length == 0) {
            return Weights::none;
        }
        SlowStart.Ramp ramp = slowStart.rampFor(backends);
        int draws = choices == AUTO ? (backends.length <= EXACT_UP_TO ? ALL : AUTO_DRAWS) : choices;
        return switch (strategy) {
            case SCAN -> draws == ALL || draws >= backends.length
                    ? new LeastCostPicker(backends, weighted, cost, ramp, ties)
                    : new RandomChoicesPicker(backends, weighted, cost, ramp, draws);
            case TWO_CHOICES -> new RandomChoicesPicker(backends, weighted, cost, ramp, 2);
        };
    }
}

package dev.lb.bench;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import java.util.function.IntToDoubleFunction;

/**
 * Times a burst of picks: {@link PickAb} loads one copy of this class per build it compares, so that each build's
 * picker is called from its own loop, with its own JIT profile, as in a benchmark that runs it alone.
 */
public final class PickLoop implements IntToDoubleFunction {

    private final Picker picker;
    private final PickContext[] contexts;
    private long sink;

    /** A loop over {@code picker}, cycling through {@code contexts} (a power-of-two count). */
    public PickLoop(Picker picker, PickContext[] contexts) {
        this.picker = picker;
        this.contexts = contexts;
    }

    /** Picks {@code picks} times; answers the nanoseconds per pick. */
    @Override
    public double applyAsDouble(int picks) {
        int mask = contexts.length - 1;
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < picks; i++) {
            Backend picked = picker.pick(contexts[i & mask]);
            sum += picked.weight(); // uses the result, so that the pick is not optimised away
        }
        long elapsed = System.nanoTime() - start;
        sink += sum;
        return elapsed / (double) picks;
    }

    @Override
    public String toString() {
        return "PickLoop[" + picker + ", " + sink + "]";
    }
}

package dev.lb.spi;

import java.util.List;
import java.util.Objects;

/**
 * An immutable view of a pool at one moment: all its backends, and those eligible for new traffic (healthy and not
 * draining), both in configuration order. The runtime builds a new snapshot whenever membership, health or an
 * operator state changes, and hands it to {@link Algorithm#newPicker(PoolSnapshot)}.
 */
public final class PoolSnapshot {

    private final String poolName;
    private final List<Backend> all;
    private final List<Backend> eligible;

    private PoolSnapshot(String poolName, List<Backend> all, List<Backend> eligible) {
        this.poolName = Objects.requireNonNull(poolName, "poolName");
        this.all = List.copyOf(all);
        this.eligible = List.copyOf(eligible);
    }

    /**
     * Creates a snapshot.
     *
     * @param poolName the pool's configured name
     * @param all every backend of the pool, in configuration order
     * @param eligible the backends that may receive new traffic, a subset of {@code all} in the same order
     */
    public static PoolSnapshot of(String poolName, List<? extends Backend> all, List<? extends Backend> eligible) {
        return new PoolSnapshot(poolName, List.copyOf(all), List.copyOf(eligible));
    }

    /** The pool's configured name. */
    public String poolName() {
        return poolName;
    }

    /** Every backend of the pool, in configuration order, whatever its state. */
    public List<Backend> all() {
        return all;
    }

    /** The backends that may receive new traffic: healthy and not draining, in configuration order. */
    public List<Backend> eligible() {
        return eligible;
    }

    @Override
    public String toString() {
        return "PoolSnapshot[" + poolName + ", " + eligible.size() + " of " + all.size() + " eligible]";
    }
}

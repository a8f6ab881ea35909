package dev.lb.runtime.pool;

import dev.lb.spi.Algorithm;
import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A named group of backends with its algorithm and the current immutable {@link Picker}.
 *
 * <p>The data plane only calls {@link #picker()}, a volatile read. A change of health rebuilds the
 * {@link PoolSnapshot} and swaps in {@code algorithm.newPicker(snapshot)}; rebuilds are serialized by this object's
 * lock, so an algorithm never sees two calls at once.
 */
public final class Pool implements AutoCloseable {

    private final String name;
    private final List<BackendState> backends;
    private final Algorithm algorithm;
    private final AtomicReference<Picker> picker = new AtomicReference<>();
    private volatile PoolSnapshot snapshot;
    private volatile TrafficOutcomes outcomes = TrafficOutcomes.IGNORED;
    private long emptySinceChangeNanos;

    /**
     * Creates the pool and builds its first picker, every backend eligible.
     *
     * @throws IllegalArgumentException when there is no backend or two share a name
     */
    public Pool(String name, List<BackendState> backends, Algorithm algorithm) {
        this.name = Objects.requireNonNull(name, "name");
        this.backends = List.copyOf(backends);
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (this.backends.isEmpty()) {
            throw new IllegalArgumentException("pool " + name + " has no backend; configure at least one");
        }
        if (this.backends.stream().map(BackendState::name).distinct().count() != this.backends.size()) {
            throw new IllegalArgumentException("pool " + name + " has two backends with one name; names must be unique");
        }
        this.backends.forEach(backend -> backend.joinPool(this));
        synchronized (this) {
            emptySinceChangeNanos = System.nanoTime();
            rebuild();
        }
    }

    /** The pool's configured name. */
    public String name() {
        return name;
    }

    /** Every backend, in configuration order. */
    public List<BackendState> backends() {
        return backends;
    }

    /** The backend named {@code backendName}, if the pool has one. */
    public Optional<BackendState> backend(String backendName) {
        return backends.stream().filter(b -> b.name().equals(backendName)).findFirst();
    }

    /** Where listeners report how traffic to this pool's backends ended. */
    public TrafficOutcomes outcomes() {
        return outcomes;
    }

    /** Sets who listens to this pool's traffic outcomes (passive health checking). */
    public void outcomes(TrafficOutcomes listener) {
        this.outcomes = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** The current picker: the hot path. */
    public Picker picker() {
        return picker.get();
    }

    /** The snapshot the current picker was built from. */
    public PoolSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Sets {@code backend}'s health and, when it changed, rebuilds the picker.
     *
     * @return what changed, for events
     */
    public synchronized HealthTransition setHealthy(BackendState backend, boolean up) {
        if (backend.pool() != this) {
            throw new IllegalArgumentException("backend " + backend.name() + " is not in pool " + name);
        }
        int eligibleBefore = snapshot.eligible().size();
        long lasted = backend.setHealthy(up);
        if (lasted < 0) {
            return HealthTransition.NONE;
        }
        rebuild();
        int eligibleAfter = snapshot.eligible().size();
        boolean poolChanged = (eligibleBefore == 0) != (eligibleAfter == 0);
        long poolLasted = -1;
        if (poolChanged) {
            long now = System.nanoTime();
            poolLasted = now - emptySinceChangeNanos;
            emptySinceChangeNanos = now;
        }
        return new HealthTransition(true, lasted, poolChanged && eligibleAfter == 0,
                poolChanged && eligibleAfter > 0, poolLasted);
    }

    private void rebuild() {
        List<Backend> eligible = backends.stream().filter(BackendState::isHealthy).map(Backend.class::cast).toList();
        PoolSnapshot next = PoolSnapshot.of(name, backends, eligible);
        Picker built = Objects.requireNonNull(algorithm.newPicker(next),
                () -> "the algorithm of pool " + name + " returned no picker");
        snapshot = next;
        picker.set(built);
    }

    /** Closes the algorithm. */
    @Override
    public void close() {
        algorithm.close();
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", " + snapshot.eligible().size() + " of " + backends.size() + " eligible]";
    }

    /**
     * The outcome of {@link #setHealthy(BackendState, boolean)}.
     *
     * @param changed whether the backend's health changed
     * @param previousStateNanos how long the backend's previous state had lasted, -1 when unchanged
     * @param poolEmptied whether the pool has just lost its last eligible backend
     * @param poolRecovered whether the pool had none and now has one
     * @param poolPreviousStateNanos how long the pool's previous empty or non-empty state lasted, -1 when unchanged
     */
    public record HealthTransition(
            boolean changed, long previousStateNanos, boolean poolEmptied, boolean poolRecovered,
            long poolPreviousStateNanos) {

        static final HealthTransition NONE = new HealthTransition(false, -1, false, false, -1);
    }
}

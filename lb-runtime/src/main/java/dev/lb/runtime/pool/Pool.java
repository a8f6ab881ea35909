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
    // Replaced as a whole by a reload (reconfigure), under this object's lock; read without it.
    private volatile List<BackendState> backends;
    private volatile Algorithm algorithm;
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

    /** The algorithm in use (replaced by {@link #reconfigure}). */
    public Algorithm algorithm() {
        return algorithm;
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

    /**
     * Puts the backend named {@code backendName} in drain: it takes no new traffic, and connections already open
     * finish.
     *
     * @return whether the backend was not draining before
     * @throws IllegalArgumentException when the pool has no such backend
     */
    public synchronized boolean drain(String backendName) {
        return setDraining(require(backendName), true);
    }

    /**
     * Takes the backend named {@code backendName} out of drain: it receives traffic again (once healthy).
     *
     * @return whether the backend was draining before
     * @throws IllegalArgumentException when the pool has no such backend
     */
    public synchronized boolean enable(String backendName) {
        return setDraining(require(backendName), false);
    }

    private boolean setDraining(BackendState backend, boolean draining) {
        boolean changed = backend.setDraining(draining);
        if (changed) {
            rebuild();
        }
        return changed;
    }

    private BackendState require(String backendName) {
        return backend(backendName).orElseThrow(() -> new IllegalArgumentException("pool " + name
                + " has no backend named \"" + backendName + "\" (backends: "
                + String.join(", ", backends.stream().map(BackendState::name).toList()) + ")"));
    }

    /**
     * Replaces the pool's members and algorithm (a configuration reload), and swaps in a picker built from them.
     * Backends kept from before are passed as the same instances, so their health, drain state and live figures
     * carry over; a removed backend takes no new traffic, and connections open to it finish. The previous algorithm
     * is closed.
     *
     * @throws IllegalArgumentException when there is no backend or two share a name
     */
    public void reconfigure(List<BackendState> newBackends, Algorithm newAlgorithm) {
        List<BackendState> next = List.copyOf(newBackends);
        Objects.requireNonNull(newAlgorithm, "newAlgorithm");
        if (next.isEmpty()) {
            throw new IllegalArgumentException("pool " + name + " has no backend; configure at least one");
        }
        if (next.stream().map(BackendState::name).distinct().count() != next.size()) {
            throw new IllegalArgumentException("pool " + name + " has two backends with one name; names must be unique");
        }
        Algorithm previous;
        synchronized (this) {
            next.stream().filter(b -> b.pool() == null).forEach(b -> b.joinPool(this));
            previous = algorithm;
            backends = next;
            algorithm = newAlgorithm;
            rebuild();
        }
        if (previous != newAlgorithm) {
            previous.close();
        }
    }

    private void rebuild() {
        List<Backend> eligible = backends.stream().filter(BackendState::isEligible).map(Backend.class::cast).toList();
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

package dev.lb.runtime.pool;

import dev.lb.runtime.notify.HealthEventSink;
import dev.lb.spi.Algorithm;
import dev.lb.spi.Backend;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named group of backends with its algorithm and the current immutable {@link Picker}.
 *
 * <p>The data plane only calls {@link #picker()}, a volatile read. A change of a backend's eligibility (active health,
 * ejection by outlier detection, drain) rebuilds the {@link PoolSnapshot}, swaps in
 * {@code algorithm.newPicker(snapshot)} and publishes {@link HealthEvent}s to the pool's sink; changes are serialized
 * by this object's lock, so an algorithm never sees two calls at once and events leave in order.
 */
public final class Pool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    private final String name;
    // Replaced as a whole by a reload (reconfigure), under this object's lock; read without it.
    private volatile List<BackendState> backends;
    private volatile Algorithm algorithm;
    private final AtomicReference<Picker> picker = new AtomicReference<>();
    private volatile PoolSnapshot snapshot;
    // Two independent listeners to traffic outcomes, combined into one the data plane reads.
    private TrafficOutcomes passiveHealth = TrafficOutcomes.IGNORED;
    private TrafficOutcomes observer = TrafficOutcomes.IGNORED;
    private volatile TrafficOutcomes outcomes = TrafficOutcomes.IGNORED;
    private volatile HealthEventSink events = HealthEventSink.NONE;
    private long emptySinceChangeNanos;

    /**
     * Creates the pool and builds its first picker, every backend eligible but those configured to drain.
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

    /**
     * Where listeners report how traffic to this pool's backends ended: both the passive health listener and the
     * observer (metrics) receive every report.
     */
    public TrafficOutcomes outcomes() {
        return outcomes;
    }

    /** Sets the passive health listener (outlier detection) of this pool's traffic outcomes, replacing any before. */
    public synchronized void outcomes(TrafficOutcomes listener) {
        passiveHealth = Objects.requireNonNull(listener, "listener");
        outcomes = TrafficOutcomes.both(passiveHealth, observer);
    }

    /**
     * Sets the observer (metrics) of this pool's traffic outcomes, replacing any before; it receives every report
     * whatever the passive health listener is, and in whichever order the two were set.
     */
    public synchronized void observeOutcomes(TrafficOutcomes listener) {
        observer = Objects.requireNonNull(listener, "listener");
        outcomes = TrafficOutcomes.both(passiveHealth, observer);
    }

    /** The passive health listener set by {@link #outcomes(TrafficOutcomes)}. */
    public synchronized TrafficOutcomes passiveHealth() {
        return passiveHealth;
    }

    /** The current picker: the hot path. */
    public Picker picker() {
        return picker.get();
    }

    /** The snapshot the current picker was built from. */
    public PoolSnapshot snapshot() {
        return snapshot;
    }

    /** Where this pool's events (backend down, up, drained; pool empty, recovered) go. */
    public void events(HealthEventSink sink) {
        this.events = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Sets {@code backend}'s active health (from probes) and, when its eligibility changed, rebuilds the picker and
     * publishes the events.
     *
     * @param reason why, e.g. {@code 3 probes failed: connection refused}; used in the events
     * @return what changed
     */
    public synchronized HealthTransition setHealthy(BackendState backend, boolean up, String reason) {
        check(backend);
        boolean wasEligible = backend.isEligible();
        if (!backend.setHealthy(up)) {
            return HealthTransition.NONE;
        }
        return afterChange(backend, wasEligible, reason, false);
    }

    /**
     * Ejects {@code backend} (passive outlier detection) or lets it back; when its eligibility changed, rebuilds the
     * picker and publishes the events.
     *
     * @param reason why, e.g. {@code 5 consecutive 5xx responses}; used in the events
     * @return what changed
     */
    public synchronized HealthTransition setEjected(BackendState backend, boolean ejected, String reason) {
        check(backend);
        boolean wasEligible = backend.isEligible();
        if (!backend.setEjected(ejected)) {
            return HealthTransition.NONE;
        }
        return afterChange(backend, wasEligible, reason, false);
    }

    /**
     * Puts the backend named {@code backendName} in drain: it takes no new traffic, and connections already open
     * finish. Publishes {@code backend-drained} (and {@code pool-empty} if it was the last eligible one).
     *
     * @return whether the backend was not draining before
     * @throws IllegalArgumentException when the pool has no such backend
     */
    public boolean drain(String backendName) {
        return setDraining(require(backendName), true, "drained by operator");
    }

    /**
     * Takes the backend named {@code backendName} out of drain. It receives traffic again at once if it is healthy
     * and not ejected ({@code backend-up}); otherwise once it is.
     *
     * @return whether the backend was draining before
     * @throws IllegalArgumentException when the pool has no such backend
     */
    public boolean enable(String backendName) {
        return setDraining(require(backendName), false, "drain ended by operator");
    }

    /** Sets {@code backend}'s drain flag, see {@link #drain(String)}. */
    public synchronized boolean setDraining(BackendState backend, boolean draining, String reason) {
        check(backend);
        boolean wasEligible = backend.isEligible();
        if (!backend.setDraining(draining)) {
            return false;
        }
        afterChange(backend, wasEligible, reason, draining);
        if (!draining && !backend.isEligible()) {
            // No event tells this one: the backend stays out until its health or ejection lets it back.
            log.info("pool {}: backend {} no longer draining, still out of rotation ({})", name, backend.name(),
                    backend.stateName());
        }
        return true;
    }

    private BackendState require(String backendName) {
        return backend(backendName).orElseThrow(() -> new IllegalArgumentException("pool " + name
                + " has no backend named \"" + backendName + "\" (backends: "
                + String.join(", ", backends.stream().map(BackendState::name).toList()) + ")"));
    }

    private void check(BackendState backend) {
        if (backend.pool() != this) {
            throw new IllegalArgumentException("backend " + backend.name() + " is not in pool " + name);
        }
    }

    /**
     * After one of the backend's flags changed: when its eligibility changed, or it was just drained, rebuild and
     * publish. Events follow eligibility (down when it leaves, up when it returns), except that a drain is always
     * told, even of a backend already out of rotation.
     */
    private HealthTransition afterChange(BackendState backend, boolean wasEligible, String reason, boolean drained) {
        boolean eligible = backend.isEligible();
        if (eligible == wasEligible && !drained) {
            return HealthTransition.NONE;
        }
        int eligibleBefore = snapshot.eligible().size();
        long now = System.nanoTime();
        long lasted = backend.newState(now, eligible);
        if (eligible != wasEligible) {
            rebuild();
        }
        int eligibleAfter = snapshot.eligible().size();
        boolean poolChanged = (eligibleBefore == 0) != (eligibleAfter == 0);
        long poolLasted = -1;
        if (poolChanged) {
            poolLasted = now - emptySinceChangeNanos;
            emptySinceChangeNanos = now;
        }
        Instant time = Instant.now();
        EventType type = drained ? EventType.BACKEND_DRAINED : eligible ? EventType.BACKEND_UP : EventType.BACKEND_DOWN;
        publish(new HealthEvent(type, time, name, backend.name(), backend.address(), reason, Duration.ofNanos(lasted)));
        if (poolChanged && eligibleAfter == 0) {
            publish(new HealthEvent(EventType.POOL_EMPTY, time, name, null, null,
                    "no eligible backend left (last: " + backend.name() + ", " + reason + ")",
                    Duration.ofNanos(poolLasted)));
        } else if (poolChanged) {
            publish(new HealthEvent(EventType.POOL_RECOVERED, time, name, null, null,
                    "backend " + backend.name() + " is eligible again", Duration.ofNanos(poolLasted)));
        }
        return new HealthTransition(eligible != wasEligible, lasted, poolChanged && eligibleAfter == 0,
                poolChanged && eligibleAfter > 0, poolLasted);
    }

    /**
     * Replaces the pool's members and algorithm (a configuration reload), and swaps in a picker built from them.
     * Backends kept from before are passed as the same instances, so their health, ejection, drain state and live
     * figures carry over. A removed backend is drained ({@code backend-drained}): it takes no new traffic, and
     * connections open to it finish; an added one joins eligible ({@code backend-up}, unless configured to drain).
     * {@code pool-empty} or {@code pool-recovered} follow when the pool's eligibility as a whole changed. The previous
     * algorithm is closed.
     *
     * @throws IllegalArgumentException when there is no backend, two share a name, or one belongs to another pool
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
            for (BackendState backend : next) {
                if (backend.pool() != null && backend.pool() != this) {
                    throw new IllegalArgumentException("backend " + backend.name() + " already belongs to pool "
                            + backend.pool().name() + "; each pool needs its own backend instances");
                }
            }
            List<BackendState> before = backends;
            List<BackendState> removed = before.stream().filter(b -> !next.contains(b)).toList();
            List<BackendState> added = next.stream().filter(b -> !before.contains(b)).toList();
            added.forEach(b -> b.joinPool(this));
            int eligibleBefore = snapshot.eligible().size();
            long now = System.nanoTime();
            Instant time = Instant.now();
            List<HealthEvent> told = new java.util.ArrayList<>();
            for (BackendState gone : removed) {
                // Removed from rotation for good; it is no longer in the snapshot, and its connections finish.
                gone.setDraining(true);
                long lasted = gone.newState(now, false);
                told.add(new HealthEvent(EventType.BACKEND_DRAINED, time, name, gone.name(), gone.address(),
                        "removed from the pool by a configuration reload", Duration.ofNanos(lasted)));
            }
            for (BackendState joined : added) {
                if (joined.isEligible()) {
                    long lasted = joined.newState(now, true);
                    told.add(new HealthEvent(EventType.BACKEND_UP, time, name, joined.name(), joined.address(),
                            "added to the pool by a configuration reload", Duration.ofNanos(lasted)));
                }
            }
            previous = algorithm;
            backends = next;
            algorithm = newAlgorithm;
            rebuild();
            told.forEach(this::publish);
            int eligibleAfter = snapshot.eligible().size();
            if ((eligibleBefore == 0) != (eligibleAfter == 0)) {
                long poolLasted = now - emptySinceChangeNanos;
                emptySinceChangeNanos = now;
                publish(eligibleAfter == 0
                        ? new HealthEvent(EventType.POOL_EMPTY, time, name, null, null,
                                "no eligible backend left after a configuration reload", Duration.ofNanos(poolLasted))
                        : new HealthEvent(EventType.POOL_RECOVERED, time, name, null, null,
                                "a configuration reload added an eligible backend", Duration.ofNanos(poolLasted)));
            }
        }
        if (previous != newAlgorithm) {
            previous.close();
        }
    }

    private void publish(HealthEvent event) {
        if (event.type() == EventType.BACKEND_DOWN || event.type() == EventType.POOL_EMPTY) {
            log.warn("{}", event.describe());
        } else {
            log.info("{}", event.describe());
        }
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            log.warn("failed to publish {}: {}", event.describe(), e.toString(), e);
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
     * The outcome of a change of a backend's state.
     *
     * @param changed whether the backend's eligibility changed
     * @param previousStateNanos how long the backend's previous state had lasted, -1 when nothing happened
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

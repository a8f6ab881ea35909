package dev.lb.spi;

/**
 * Chooses a backend for one connection or request. This is the hot path.
 *
 * <p>A picker is built from one immutable {@link PoolSnapshot} and replaced whole when the pool changes, so it can
 * precompute whatever it likes (a ring, a table of weights). {@link #pick(PickContext)} is called concurrently from
 * every event-loop thread: it must be thread-safe, must not block, must not take a lock, and should not allocate.
 * Counters that advance on each pick belong in atomics. A picker that needs the time reads
 * {@link PickContext#nanoTime()}, which the runtime has already read, rather than the clock.
 */
@FunctionalInterface
public interface Picker {

    /**
     * Picks a backend from the snapshot's {@linkplain PoolSnapshot#eligible() eligible} backends.
     *
     * @return the chosen backend, or null when none can be chosen (for example, no backend is eligible)
     */
    Backend pick(PickContext context);
}

package dev.lb.runtime.pool;

import dev.lb.spi.Backend;
import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Picks a backend for one attempt of one client, never returning a backend that client has already tried, so that
 * retries after a failed connect always go somewhere new.
 *
 * <p>The picker is asked up to {@link #MAX_REPICKS} times; if it keeps returning tried backends (a hash algorithm
 * will, by design), the eligible list is walked for the first untried one. Runs on an event loop: no lock, no
 * blocking.
 */
public final class BackendSelector {

    /** How many times the picker is asked before falling back to the eligible list. */
    public static final int MAX_REPICKS = 3;

    private BackendSelector() {
    }

    /**
     * Chooses a backend of {@code pool} for attempt {@code attempt} (0 for the first).
     *
     * @param tried backends already tried for this client, in order; not modified
     * @param nanoTime when this attempt began, a {@link System#nanoTime()} reading the caller already took (the
     *     request's or connection's arrival; a retry's start): the picker sees it as {@link PickContext#nanoTime()},
     *     so that a pick never has to read the clock itself
     * @return an eligible backend not in {@code tried}, or null when there is none
     */
    public static BackendState select(
            Pool pool, InetSocketAddress client, Protocol protocol, HttpRequestInfo http, int attempt,
            List<? extends Backend> tried, long nanoTime) {
        BackendState chosen = choose(pool, new Context(client, protocol, http, attempt, nanoTime), tried);
        if (chosen != null) {
            pool.outcomes().picked(chosen, attempt);
        }
        return chosen;
    }

    private static BackendState choose(Pool pool, Context context, List<? extends Backend> tried) {
        Picker picker = pool.picker();
        for (int i = 0; i < MAX_REPICKS; i++) {
            Backend picked = picker.pick(context);
            if (picked == null) {
                break;
            }
            if (!contains(tried, picked)) {
                return asState(pool, picked);
            }
        }
        for (Backend candidate : pool.snapshot().eligible()) {
            if (!contains(tried, candidate)) {
                return asState(pool, candidate);
            }
        }
        return null;
    }

    private static boolean contains(List<? extends Backend> tried, Backend backend) {
        // Identity, not equals: a plugin cannot redefine what "the same backend" means.
        for (Backend b : tried) {
            if (b == backend) {
                return true;
            }
        }
        return false;
    }

    private static BackendState asState(Pool pool, Backend picked) {
        if (picked instanceof BackendState state && state.pool() == pool) {
            return state;
        }
        // A picker must return one of the snapshot's backends; anything else is a plugin bug worth naming.
        throw new IllegalStateException("the algorithm of pool " + pool.name() + " picked " + picked
                + ", which is not one of the pool's backends; a picker must return a backend from its snapshot");
    }

    /** The per-pick context; short-lived, never shared. Every repick of one attempt sees the same time. */
    private record Context(InetSocketAddress clientAddress, Protocol protocol, HttpRequestInfo request, int attempt,
            long nanoTime) implements PickContext {

        @Override
        public Optional<HttpRequestInfo> http() {
            return Optional.ofNullable(request);
        }
    }
}

package dev.lb.harness.toxiproxy;

import eu.rekawek.toxiproxy.model.Toxic;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One fault (a Toxiproxy "toxic") active on a {@link FaultProxy}, until {@link #remove()}d.
 *
 * <p>Closing it removes it, so a fault can be scoped with try-with-resources:
 * <pre>{@code
 * try (Fault slow = link.latency(Direction.DOWNSTREAM, Duration.ofMillis(300), Duration.ZERO)) {
 *     // every response through link is now at least 300 ms late
 * }
 * }</pre>
 */
public final class Fault implements AutoCloseable {

    private final FaultProxy proxy;
    private final Toxic toxic;
    private final String type;
    private final Direction direction;
    private volatile boolean removed;

    Fault(FaultProxy proxy, Toxic toxic, String type, Direction direction) {
        this.proxy = proxy;
        this.toxic = toxic;
        this.type = type;
        this.direction = direction;
    }

    /** Its name on the proxy, unique there, e.g. {@code latency_downstream_1}. */
    public String name() {
        return toxic.getName();
    }

    /** Toxiproxy's type name: {@code latency}, {@code bandwidth}, {@code timeout}, {@code reset_peer}, ... */
    public String type() {
        return type;
    }

    /** Which way it acts. */
    public Direction direction() {
        return direction;
    }

    /**
     * Applies it to only a share of the connections, each connection drawn once when it opens (1 by default: all).
     *
     * @param share from 0 (none) to 1 (all)
     */
    public Fault toxicity(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("toxicity must be between 0 and 1, not " + share);
        }
        try {
            toxic.setToxicity((float) share);
        } catch (IOException e) {
            throw new UncheckedIOException("Toxiproxy cannot set the toxicity of " + this + ": " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * Takes it off the proxy; a no-op when already gone (removed before, by {@link FaultProxy#heal()}, or with its
     * proxy).
     */
    public void remove() {
        if (removed || proxy.isClosed()) {
            return;
        }
        try {
            toxic.remove();
        } catch (IOException e) {
            if (proxy.faultNames().contains(name())) {
                throw new UncheckedIOException("Toxiproxy cannot remove " + this + ": " + e.getMessage(), e);
            }
        }
        removed = true;
    }

    /** Same as {@link #remove()}. */
    @Override
    public void close() {
        remove();
    }

    @Override
    public String toString() {
        return "fault '" + name() + "' on proxy '" + proxy.name() + "'";
    }
}

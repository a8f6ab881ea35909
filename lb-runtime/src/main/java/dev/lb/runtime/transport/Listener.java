package dev.lb.runtime.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/** A socket the load balancer accepts clients on, whatever its protocol, with its lifecycle. */
public interface Listener {

    /** The configured name. */
    String name();

    /**
     * Binds the socket and starts accepting; blocks until bound.
     *
     * @throws ListenerBindException when the address cannot be bound
     */
    void start();

    /** The address actually bound (with the real port when port 0 was configured); only after {@link #start()}. */
    InetSocketAddress boundAddress();

    /** Closes the listening socket: new clients are refused, open connections go on. Blocks until closed. */
    void stopAccepting();

    /** Client connections currently open. */
    int openConnections();

    /**
     * Waits up to {@code timeout} for every open client connection to end.
     *
     * @return whether none is left
     */
    boolean awaitConnectionsClosed(Duration timeout) throws InterruptedException;

    /** Closes every open connection at once, without waiting. */
    void closeConnections();

    /**
     * Whether this listener keeps working when a reload adds or replaces backends of its pool in place (it looks up
     * what it keeps per backend when it first meets one). A listener that prepares per-backend state when it starts
     * says false, and a reload that would change its pool's members is refused instead of breaking it.
     */
    default boolean followsPoolMembership() {
        return false;
    }

    /**
     * Told after a reload changed the members of this listener's pool: a listener that keeps something per backend
     * forgets the backends that left. Nothing by default.
     */
    default void poolMembersChanged() {
    }
}

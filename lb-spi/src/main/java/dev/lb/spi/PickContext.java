package dev.lb.spi;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What a {@link Picker} knows about the traffic it places: the client, the protocol, the HTTP request when there is
 * one, and which attempt this is.
 *
 * <p>Implemented by the runtime; valid only during the call to {@link Picker#pick(PickContext)}, and must not be kept.
 */
public interface PickContext {

    /** The client's address as seen by the listener. */
    InetSocketAddress clientAddress();

    /** The listener's protocol. */
    Protocol protocol();

    /** The HTTP request being placed; empty for TCP listeners. */
    Optional<HttpRequestInfo> http();

    /**
     * Zero for the first pick of a connection or request; one more for each retry after a backend failed to connect
     * or reset before answering. The runtime skips backends already tried, so a picker may ignore this.
     */
    int attempt();

    /**
     * The time of this placement on {@link System#nanoTime()}'s clock: when the runtime read the clock as the request
     * or connection arrived (for a retry, as the retry began), so at most microseconds old. A picker that needs the
     * time, for instance to ramp a newcomer's share under slow start, reads it here instead of the clock, which spares
     * each pick a clock read (tens of nanoseconds on some virtual machines) that the runtime has already paid for.
     *
     * <p>Compare it with other {@code System.nanoTime()} readings by subtraction only ({@code t1 - t0 > 0}), as
     * {@link System#nanoTime()} says. Contexts given by the runtime always answer the placement's time; the default,
     * for other implementations (such as one a test writes), reads the clock now.
     *
     * @return a {@link System#nanoTime()} reading taken when this placement began
     */
    default long nanoTime() {
        return System.nanoTime();
    }
}

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
}

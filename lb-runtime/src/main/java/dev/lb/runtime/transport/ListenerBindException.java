package dev.lb.runtime.transport;

import java.io.Serial;
import java.net.InetSocketAddress;

/** A listener could not bind its address; the message names the listener, the address and the cause. */
public final class ListenerBindException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Describes the failure of listener {@code name} to bind {@code address}. */
    public ListenerBindException(String name, InetSocketAddress address, Throwable cause) {
        super("listener " + name + ": cannot listen on " + address.getHostString() + ":" + address.getPort() + ": "
                + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName())
                + " (is another process using the port, or is the address not one of this host's?)", cause);
    }
}

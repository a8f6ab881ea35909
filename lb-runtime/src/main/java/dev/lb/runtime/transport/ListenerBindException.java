package dev.lb.runtime.transport;

import java.io.Serial;
import java.net.InetSocketAddress;

/** A listener could not bind its address; the message names the listener, the address and the cause. */
public final class ListenerBindException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Describes the failure of listener {@code name} to bind {@code address}. */
    public ListenerBindException(String name, InetSocketAddress address, Throwable cause) {
        super(message(name, address, cause), cause);
    }

    private static String message(String name, InetSocketAddress address, Throwable cause) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        String hint = reason.contains("in use")
                ? "; another process (or another listener) holds this port: stop it or change the listener's bind"
                : reason.contains("ssign") ? "; the address is not one of this host's: change the listener's bind" : "";
        return "listener " + name + ": cannot listen on " + host + ":" + address.getPort() + ": " + reason + hint;
    }
}

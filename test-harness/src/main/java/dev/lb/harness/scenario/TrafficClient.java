package dev.lb.harness.scenario;

import dev.lb.spi.Protocol;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/** Sends one request of scenario traffic to a load balancer and says which backend answered, or what failed. */
public interface TrafficClient {

    /** One request; never throws, a failure is an {@link Exchange} with an error. */
    Exchange send(InetSocketAddress entry);

    /** The client for {@code protocol}, each read and connect bounded by {@code timeout}. */
    static TrafficClient of(Protocol protocol, Duration timeout) {
        return of(protocol, timeout, false);
    }

    /**
     * The client for {@code protocol}, each read and connect bounded by {@code timeout}; {@code tls} for an HTTP
     * listener that terminates TLS (its certificate is not checked: the harness talks to the balancer it started).
     */
    static TrafficClient of(Protocol protocol, Duration timeout, boolean tls) {
        return protocol == Protocol.HTTP ? new HttpTrafficClient(timeout, tls) : new TcpTrafficClient(timeout);
    }

    /** A short name for what an I/O failure was, e.g. {@code connection refused}. */
    static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof EOFException) {
            return "closed early";
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("reset")) {
            return "connection reset";
        }
        if (e instanceof SocketException && message.contains("broken pipe")) {
            return "broken pipe";
        }
        return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}

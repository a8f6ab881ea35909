package dev.lb.runtime.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses and resolves {@code host:port} and {@code [ipv6]:port}. */
final class Addresses {

    private static final String FORM = "host:port or [ipv6]:port";

    private final HostResolver resolver;

    Addresses(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The address {@code text} denotes, resolved.
     *
     * @param minPort 0 where an ephemeral port makes sense (a listener's bind), else 1
     * @throws IllegalArgumentException with a message saying what is wrong and the accepted form
     */
    InetSocketAddress parse(String text, int minPort) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("expected " + FORM + ", got \"" + text + "\" (no closing ])");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected " + FORM + ", got \"" + text + "\" (the port is missing)");
            }
            port = rest.substring(1);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected " + FORM + ", got \"" + text + "\" (the port is missing)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("expected " + FORM + ", got \"" + text
                        + "\": write an IPv6 address in brackets, e.g. [::1]:8080");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("expected " + FORM + ", got \"" + text
                    + "\" (the host is missing; use 0.0.0.0 for every IPv4 interface)");
        }
        int portNumber = parsePort(text, port, minPort);
        try {
            InetAddress address = resolver.resolve(host);
            return new InetSocketAddress(address, portNumber);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host \"" + host + "\": check the name, or use an IP"
                    + " address");
        }
    }

    private static int parsePort(String text, String port, int minPort) {
        if (port.isEmpty()) {
            throw new IllegalArgumentException("expected " + FORM + ", got \"" + text + "\" (the port is missing)");
        }
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 9) {
            throw new IllegalArgumentException("port \"" + port + "\" is not a number between " + minPort
                    + " and 65535");
        }
        int value = Integer.parseInt(port);
        if (value < minPort || value > 65535) {
            throw new IllegalArgumentException("port " + value + " is out of range: use " + minPort + " to 65535");
        }
        return value;
    }
}

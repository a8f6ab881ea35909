package dev.lb.runtime.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns the host part of a configured address into an IP address; tests swap it to stay off DNS. */
@FunctionalInterface
public interface HostResolver {

    /**
     * Resolves {@code host}, a name or a literal IP address (an IPv6 one without brackets).
     *
     * @throws UnknownHostException when it cannot be resolved
     */
    InetAddress resolve(String host) throws UnknownHostException;

    /** The system resolver: {@link InetAddress#getByName(String)}. */
    static HostResolver system() {
        return InetAddress::getByName;
    }
}

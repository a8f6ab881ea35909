package dev.lb.plugins.algorithms;

import dev.lb.spi.testkit.TestPickContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** Pick contexts from numbered clients 10.x.y.z, so that hashing tests can spread over many distinct clients. */
final class Picks {

    static final TestPickContext TCP = tcp(1);

    private Picks() {
    }

    /** A TCP pick from client 10.x.y.z numbered {@code client}. */
    static TestPickContext tcp(int client) {
        return TestPickContext.tcp(client(client));
    }

    static TestPickContext http(int client, String path, Map<String, String> headers, Map<String, String> cookies) {
        return TestPickContext.builder().clientAddress(client(client)).path(path).headers(headers).cookies(cookies)
                .build();
    }

    static TestPickContext httpPlain() {
        return http(1, "/", Map.of(), Map.of());
    }

    static InetSocketAddress client(int n) {
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 40000 + (n & 0xFFF));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}

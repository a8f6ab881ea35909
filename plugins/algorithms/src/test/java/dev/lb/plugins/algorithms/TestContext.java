package dev.lb.plugins.algorithms;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A pick context for tests: a client address and, for HTTP, a request with a path, headers and cookies. */
record TestContext(InetSocketAddress clientAddress, Protocol protocol, Optional<HttpRequestInfo> http, int attempt)
        implements PickContext {

    static final TestContext TCP = tcp(1);

    /** A TCP pick from client 10.x.y.z numbered {@code client}. */
    static TestContext tcp(int client) {
        return new TestContext(client(client), Protocol.TCP, Optional.empty(), 0);
    }

    static TestContext http(int client, String path, Map<String, String> headers, Map<String, String> cookies) {
        return new TestContext(client(client), Protocol.HTTP, Optional.of(new Request(path, headers, cookies)), 0);
    }

    static TestContext httpPlain() {
        return http(1, "/", Map.of(), Map.of());
    }

    TestContext withAttempt(int n) {
        return new TestContext(clientAddress, protocol, http, n);
    }

    static InetSocketAddress client(int n) {
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 40000 + (n & 0xFFF));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private record Request(String path, Map<String, String> headerMap, Map<String, String> cookieMap)
            implements HttpRequestInfo {

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String query() {
            return "";
        }

        @Override
        public String host() {
            return "example.test";
        }

        @Override
        public Optional<String> header(String name) {
            return headerMap.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst();
        }

        @Override
        public List<String> headers(String name) {
            return header(name).map(List::of).orElse(List.of());
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.ofNullable(cookieMap.get(name));
        }
    }
}

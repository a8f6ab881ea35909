package dev.lb.bench;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/** An HTTP pick context with its own client address and {@code X-User} header, prebuilt before measuring. */
record BenchContext(InetSocketAddress clientAddress, Optional<HttpRequestInfo> http) implements PickContext {

    static BenchContext http(int n) {
        byte[] ip = {10, 1, (byte) (n >>> 8), (byte) n};
        try {
            InetSocketAddress client = new InetSocketAddress(InetAddress.getByAddress(ip), 50_000 + n);
            return new BenchContext(client, Optional.of(new Request("/api/items/" + n, "user-" + n)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Protocol protocol() {
        return Protocol.HTTP;
    }

    @Override
    public int attempt() {
        return 0;
    }

    private record Request(String path, String user) implements HttpRequestInfo {

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
            return "bench.test";
        }

        @Override
        public Optional<String> header(String name) {
            return name.equalsIgnoreCase("X-User") ? Optional.of(user) : Optional.empty();
        }

        @Override
        public List<String> headers(String name) {
            return header(name).map(List::of).orElse(List.of());
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.empty();
        }
    }
}

package dev.lb.plugins.script;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A pick context for unit tests: an HTTP request with given path, headers and cookies, or a TCP connection. */
record TestRequest(String clientIp, String path, Map<String, String> headers, Map<String, String> cookies,
        boolean isHttp) implements PickContext, HttpRequestInfo {

    static TestRequest http(String path, Map<String, String> headers, Map<String, String> cookies) {
        // Looked up by case-insensitive name, as the runtime's request does (and as cheaply, for the benchmark).
        Map<String, String> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return new TestRequest("127.0.0.1", path, byName, cookies, true);
    }

    static TestRequest tcp(String clientIp) {
        return new TestRequest(clientIp, null, Map.of(), Map.of(), false);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return new InetSocketAddress(clientIp, 40000);
    }

    @Override
    public Protocol protocol() {
        return isHttp ? Protocol.HTTP : Protocol.TCP;
    }

    @Override
    public Optional<HttpRequestInfo> http() {
        return isHttp ? Optional.of(this) : Optional.empty();
    }

    @Override
    public int attempt() {
        return 0;
    }

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
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public List<String> headers(String name) {
        return header(name).map(List::of).orElse(List.of());
    }

    @Override
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    @Override
    public String toString() {
        return (isHttp ? "http " + path : "tcp") + " from " + clientIp.toLowerCase(Locale.ROOT);
    }
}

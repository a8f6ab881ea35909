package dev.lb.spi.testkit;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@link PickContext} for driving a picker in a unit test: a TCP connection, or an HTTP request with its method,
 * path, query, host, headers and cookies. Immutable, so one context may be reused across picks and threads.
 *
 * <pre>{@code
 * picker.pick(TestPickContext.tcp());
 * picker.pick(TestPickContext.builder().clientAddress("10.0.0.7").path("/api").header("X-User", "u1").build());
 * }</pre>
 *
 * <p>Defaults: client {@code 127.0.0.1:40000}, attempt 0, and for HTTP method {@code GET}, path {@code /}, empty
 * query, host {@code example.test}. Headers are looked up case-insensitively; cookies given with
 * {@link Builder#cookie} are also sent as a {@code Cookie} header unless the test writes that header itself.
 *
 * <p>{@link #nanoTime()}, the time of the pick, reads {@link System#nanoTime()} at each call unless a time is set
 * ({@link Builder#nanoTime(long)}, {@link #atNanoTime(long)}): set it to test time-dependent picking, such as slow
 * start, deterministically, moving time by making a context per instant.
 *
 * <pre>{@code
 * long t0 = System.nanoTime();
 * backend.eligibleSinceNanos(t0);
 * picker.pick(TestPickContext.tcp().atNanoTime(t0 + Duration.ofSeconds(15).toNanos())); // half-way through 30s
 * }</pre>
 */
public final class TestPickContext implements PickContext {

    private static final int DEFAULT_CLIENT_PORT = 40000;

    private final InetSocketAddress clientAddress;
    private final Optional<HttpRequestInfo> http;
    private final int attempt;
    /** The pick's time when {@link #fixedTime}, else unused: the clock is read at each call. */
    private final long nanoTime;
    private final boolean fixedTime;

    private TestPickContext(InetSocketAddress clientAddress, Optional<HttpRequestInfo> http, int attempt,
            long nanoTime, boolean fixedTime) {
        this.clientAddress = clientAddress;
        this.http = http;
        this.attempt = attempt;
        this.nanoTime = nanoTime;
        this.fixedTime = fixedTime;
    }

    /** A first pick for a TCP connection from {@code 127.0.0.1:40000}. */
    public static TestPickContext tcp() {
        return builder().build();
    }

    /** A first pick for a TCP connection from {@code client}. */
    public static TestPickContext tcp(InetSocketAddress client) {
        return builder().clientAddress(client).build();
    }

    /** A first pick for {@code GET path} from {@code 127.0.0.1:40000}. */
    public static TestPickContext http(String path) {
        return builder().path(path).build();
    }

    /** A builder of a context; TCP unless an HTTP part is set or {@link Builder#protocol} says HTTP. */
    public static Builder builder() {
        return new Builder();
    }

    /** This context as the {@code attempt}-th retry (0 for the first pick). */
    public TestPickContext withAttempt(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 or more, was " + attempt);
        }
        return new TestPickContext(clientAddress, http, attempt, nanoTime, fixedTime);
    }

    /** This context with its time set to {@code nanoTime}, a {@link System#nanoTime()} reading (or one made up). */
    public TestPickContext atNanoTime(long nanoTime) {
        return new TestPickContext(clientAddress, http, attempt, nanoTime, true);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public Protocol protocol() {
        return http.isPresent() ? Protocol.HTTP : Protocol.TCP;
    }

    @Override
    public Optional<HttpRequestInfo> http() {
        return http;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    /** The time set for this context, or else the clock now. */
    @Override
    public long nanoTime() {
        return fixedTime ? nanoTime : System.nanoTime();
    }

    @Override
    public String toString() {
        String what = http.map(r -> "http " + r.method() + " " + r.path()).orElse("tcp");
        return what + " from " + clientAddress.getAddress().getHostAddress() + (attempt > 0 ? " attempt " + attempt
                : "") + (fixedTime ? " at " + nanoTime + "ns" : "");
    }

    /** Builds a {@link TestPickContext}; every setter returns {@code this}. */
    public static final class Builder {

        private InetSocketAddress clientAddress =
                new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_CLIENT_PORT);
        private Protocol protocol;
        private int attempt;
        private long nanoTime;
        private boolean fixedTime;
        private boolean httpPartSet;
        private String method = "GET";
        private String path = "/";
        private String query = "";
        private String host = "example.test";
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final Map<String, String> cookies = new LinkedHashMap<>();

        private Builder() {
        }

        /** The client's address. */
        public Builder clientAddress(InetSocketAddress address) {
            this.clientAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The client's address as an IP literal such as {@code 10.0.0.7}, port 40000. */
        public Builder clientAddress(String ip) {
            return clientAddress(new InetSocketAddress(ip, DEFAULT_CLIENT_PORT));
        }

        /** The listener's protocol; HTTP with every request part at its default when no part is set. */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** Which attempt this pick is: 0 for the first, one more for each retry. */
        public Builder attempt(int attempt) {
            if (attempt < 0) {
                throw new IllegalArgumentException("attempt must be 0 or more, was " + attempt);
            }
            this.attempt = attempt;
            return this;
        }

        /**
         * The pick's time, a {@link System#nanoTime()} reading (or one made up), answered by
         * {@link TestPickContext#nanoTime()}; unset, that reads the clock at each call.
         */
        public Builder nanoTime(long nanoTime) {
            this.nanoTime = nanoTime;
            this.fixedTime = true;
            return this;
        }

        /** The HTTP method; makes this an HTTP request. */
        public Builder method(String method) {
            this.method = http(method, "method");
            return this;
        }

        /** The path, without the query; makes this an HTTP request. */
        public Builder path(String path) {
            this.path = http(path, "path");
            return this;
        }

        /** The raw query without the {@code ?}; makes this an HTTP request. */
        public Builder query(String query) {
            this.query = http(query, "query");
            return this;
        }

        /** The {@code Host} header's value; makes this an HTTP request. */
        public Builder host(String host) {
            this.host = http(host, "host");
            return this;
        }

        /** Adds a value of header {@code name} (after any earlier ones); makes this an HTTP request. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(http(name, "header name"), n -> new ArrayList<>()).add(http(value, "value"));
            return this;
        }

        /** Adds one value per header of {@code headers}; makes this an HTTP request. */
        public Builder headers(Map<String, String> headers) {
            httpPartSet = true;
            headers.forEach(this::header);
            return this;
        }

        /** Adds cookie {@code name}; makes this an HTTP request. */
        public Builder cookie(String name, String value) {
            cookies.put(http(name, "cookie name"), http(value, "value"));
            return this;
        }

        /** Adds every cookie of {@code cookies}; makes this an HTTP request. */
        public Builder cookies(Map<String, String> cookies) {
            httpPartSet = true;
            cookies.forEach(this::cookie);
            return this;
        }

        private String http(String value, String what) {
            httpPartSet = true;
            return Objects.requireNonNull(value, what);
        }

        /** The context; an error when the protocol is TCP but an HTTP part was set. */
        public TestPickContext build() {
            Protocol chosen = protocol != null ? protocol : httpPartSet ? Protocol.HTTP : Protocol.TCP;
            if (chosen == Protocol.TCP) {
                if (httpPartSet) {
                    throw new IllegalStateException("an HTTP request part was set on a TCP pick; drop protocol(TCP)");
                }
                return new TestPickContext(clientAddress, Optional.empty(), attempt, nanoTime, fixedTime);
            }
            Map<String, List<String>> headerCopy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> headerCopy.put(name, List.copyOf(values)));
            if (!cookies.isEmpty() && !headerCopy.containsKey("Cookie")) {
                headerCopy.put("Cookie", List.of(cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "))));
            }
            Request request = new Request(method, path, query, host, headerCopy, Map.copyOf(cookies));
            return new TestPickContext(clientAddress, Optional.of(request), attempt, nanoTime, fixedTime);
        }
    }

    /** The HTTP request; headers in a case-insensitive map, so a lookup costs what the runtime's does. */
    private record Request(String method, String path, String query, String host,
            Map<String, List<String>> headerMap, Map<String, String> cookieMap) implements HttpRequestInfo {

        @Override
        public Optional<String> header(String name) {
            List<String> values = headerMap.get(name);
            return values == null ? Optional.empty() : Optional.of(values.get(0));
        }

        @Override
        public List<String> headers(String name) {
            return headerMap.getOrDefault(name, List.of());
        }

        @Override
        public Optional<String> cookie(String name) {
            return Optional.ofNullable(cookieMap.get(name));
        }
    }
}

package dev.lb.plugins.script;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import java.util.Locale;
import java.util.Optional;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The {@code request} a policy's pick receives: a read-only view of the current {@link PickContext}. One per thread,
 * pointed at each call's context in turn, so a pick allocates nothing until the script reads a field.
 *
 * <p>Fields: {@code method}, {@code path}, {@code query}, {@code host} (null for TCP), {@code clientAddress},
 * {@code clientPort}, {@code protocol} ({@code "http"} or {@code "tcp"}), {@code attempt}, {@code headers} and
 * {@code cookies} (read by name, e.g. {@code request.headers['x-canary']}, case-insensitive for headers), and the
 * functions {@code header(name)} and {@code cookie(name)}. Absent values are {@code null}.
 */
final class RequestView implements ProxyObject {

    private static final String[] KEYS = {"method", "path", "query", "host", "clientAddress", "clientPort",
        "protocol", "attempt", "headers", "cookies", "header", "cookie"};

    private PickContext current;
    private final ProxyObject headers = new Lookup(true);
    private final ProxyObject cookies = new Lookup(false);
    private final ProxyExecutable header = arguments -> headerValue(arguments.length == 0 ? null : arguments[0]);
    private final ProxyExecutable cookie = arguments -> cookieValue(arguments.length == 0 ? null : arguments[0]);

    void bind(PickContext context) {
        current = context;
    }

    void unbind() {
        current = null;
    }

    @Override
    public Object getMember(String key) {
        PickContext context = current;
        if (context == null) {
            // Kept by the script past its call: the request it described is gone.
            return null;
        }
        Optional<HttpRequestInfo> http = context.http();
        return switch (key) {
            case "method" -> http.map(HttpRequestInfo::method).orElse(null);
            case "path" -> http.map(HttpRequestInfo::path).orElse(null);
            case "query" -> http.map(HttpRequestInfo::query).orElse(null);
            case "host" -> http.map(HttpRequestInfo::host).orElse(null);
            case "clientAddress" -> context.clientAddress().getAddress() == null
                    ? context.clientAddress().getHostString()
                    : context.clientAddress().getAddress().getHostAddress();
            case "clientPort" -> context.clientAddress().getPort();
            case "protocol" -> context.protocol().name().toLowerCase(Locale.ROOT);
            case "attempt" -> context.attempt();
            case "headers" -> headers;
            case "cookies" -> cookies;
            case "header" -> header;
            case "cookie" -> cookie;
            default -> null;
        };
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromArray((Object[]) KEYS);
    }

    @Override
    public boolean hasMember(String key) {
        for (String known : KEYS) {
            if (known.equals(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("request is read-only");
    }

    private Object headerValue(Object name) {
        PickContext context = current;
        if (context == null || context.http().isEmpty() || !(name instanceof Value value) || !value.isString()) {
            return null;
        }
        return context.http().get().header(value.asString()).orElse(null);
    }

    private Object cookieValue(Object name) {
        PickContext context = current;
        if (context == null || context.http().isEmpty() || !(name instanceof Value value) || !value.isString()) {
            return null;
        }
        return context.http().get().cookie(value.asString()).orElse(null);
    }

    /** {@code request.headers} or {@code request.cookies}: values by name; names cannot be listed. */
    private final class Lookup implements ProxyObject {
        private final boolean headers;

        Lookup(boolean headers) {
            this.headers = headers;
        }

        @Override
        public Object getMember(String key) {
            PickContext context = current;
            if (context == null || context.http().isEmpty()) {
                return null;
            }
            HttpRequestInfo http = context.http().get();
            return (headers ? http.header(key) : http.cookie(key)).orElse(null);
        }

        @Override
        public Object getMemberKeys() {
            return ProxyArray.fromArray();
        }

        @Override
        public boolean hasMember(String key) {
            return getMember(key) != null;
        }

        @Override
        public void putMember(String key, Value value) {
            throw new UnsupportedOperationException((headers ? "headers" : "cookies") + " are read-only");
        }
    }
}

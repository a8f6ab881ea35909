package dev.lb.plugins.script;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import java.util.Locale;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The Java half of the {@code request} a policy's pick receives: three functions over the current {@link PickContext},
 * which the prelude wraps in a frozen JavaScript object ({@code makeRequest}). One per thread, pointed at each call's
 * context in turn, so a pick allocates nothing until the script reads a field, and each read crosses from JavaScript
 * to Java once.
 *
 * <p>Fields: {@code method}, {@code path}, {@code query}, {@code host} (null for TCP), {@code clientAddress},
 * {@code clientPort}, {@code protocol} ({@code "http"} or {@code "tcp"}), {@code attempt}, {@code headers} and
 * {@code cookies} (read by name, e.g. {@code request.headers['x-canary']}, case-insensitive for headers), and the
 * functions {@code header(name)} and {@code cookie(name)}. Absent values are {@code null}.
 */
final class RequestView {

    /** Field numbers, in the order the prelude's getters ask for them. */
    private static final int METHOD = 0;
    private static final int PATH = 1;
    private static final int QUERY = 2;
    private static final int HOST = 3;
    private static final int CLIENT_ADDRESS = 4;
    private static final int CLIENT_PORT = 5;
    private static final int PROTOCOL = 6;
    private static final int ATTEMPT = 7;

    private PickContext current;

    /** {@code field(number)}: one of the scalar fields above. */
    final ProxyExecutable field = arguments -> field(arguments[0].asInt());
    /** {@code header(name)}: the first value of a header, or null. */
    final ProxyExecutable header = arguments -> lookup(arguments, true);
    /** {@code cookie(name)}: the value of a cookie, or null. */
    final ProxyExecutable cookie = arguments -> lookup(arguments, false);

    void bind(PickContext context) {
        current = context;
    }

    void unbind() {
        current = null;
    }

    private Object field(int number) {
        PickContext context = current;
        if (context == null) {
            // Kept by the script past its call: the request it described is gone.
            return null;
        }
        HttpRequestInfo http = number <= HOST ? context.http().orElse(null) : null;
        return switch (number) {
            case METHOD -> http == null ? null : http.method();
            case PATH -> http == null ? null : http.path();
            case QUERY -> http == null ? null : http.query();
            case HOST -> http == null ? null : http.host();
            case CLIENT_ADDRESS -> context.clientAddress().getAddress() == null
                    ? context.clientAddress().getHostString()
                    : context.clientAddress().getAddress().getHostAddress();
            case CLIENT_PORT -> context.clientAddress().getPort();
            case PROTOCOL -> context.protocol().name().toLowerCase(Locale.ROOT);
            case ATTEMPT -> context.attempt();
            default -> null;
        };
    }

    private Object lookup(Value[] arguments, boolean header) {
        PickContext context = current;
        if (context == null || arguments.length == 0 || !arguments[0].isString()) {
            return null;
        }
        HttpRequestInfo http = context.http().orElse(null);
        if (http == null) {
            return null;
        }
        String name = arguments[0].asString();
        return (header ? http.header(name) : http.cookie(name)).orElse(null);
    }
}

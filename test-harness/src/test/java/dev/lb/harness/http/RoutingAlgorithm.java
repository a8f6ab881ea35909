package dev.lb.harness.http;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PluginConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test algorithm that routes on what the picker sees of the request: header {@code X-Route}, else cookie
 * {@code route}, else a path {@code /to/NAME...}, names the backend; anything else goes to the first eligible one;
 * a request with header {@code X-Fail} makes it throw, as a buggy plugin would. It
 * records what it last saw, for tests to check every field of {@link HttpRequestInfo}.
 */
final class RoutingAlgorithm {

    static final String NAME = "test-routing";

    /** What the picker last saw, as plain values (the context itself must not be kept). */
    record Seen(String client, String method, String path, String query, String host, String route,
                List<String> tags, String cookie, int attempt, String forwardedFor) {
    }

    static final AtomicReference<Seen> LAST = new AtomicReference<>();

    private RoutingAlgorithm() {
    }

    static final class Provider implements AlgorithmProvider {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String description() {
            return "routes by X-Route header, route cookie or /to/NAME path (tests)";
        }

        @Override
        public Algorithm create(PluginConfig config) {
            return snapshot -> context -> {
                List<Backend> eligible = snapshot.eligible();
                if (eligible.isEmpty()) {
                    return null;
                }
                Optional<HttpRequestInfo> http = context.http();
                if (http.isEmpty()) {
                    return eligible.getFirst();
                }
                HttpRequestInfo request = http.get();
                LAST.set(new Seen(context.clientAddress().getAddress().getHostAddress(), request.method(),
                        request.path(), request.query(), request.host(), request.header("x-route").orElse(null),
                        request.headers("X-Tag"), request.cookie("route").orElse(null), context.attempt(),
                        request.header("x-forwarded-for").orElse(null)));
                if (request.header("X-Fail").isPresent()) {
                    throw new IllegalStateException("asked to fail");
                }
                String wanted = request.header("X-Route")
                        .or(() -> request.cookie("route"))
                        .or(() -> request.path().startsWith("/to/")
                                ? Optional.of(request.path().substring(4).split("/")[0]) : Optional.empty())
                        .orElse(null);
                for (Backend backend : eligible) {
                    if (backend.name().equals(wanted)) {
                        return backend;
                    }
                }
                return eligible.getFirst();
            };
        }
    }
}

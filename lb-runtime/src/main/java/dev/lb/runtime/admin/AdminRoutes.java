package dev.lb.runtime.admin;

import dev.lb.runtime.metrics.PrometheusExposition;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.reload.ReloadResult;
import dev.lb.runtime.reload.ReloadService;
import dev.lb.runtime.server.LoadBalancer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's routes. Every answer is JSON except {@code /metrics} (Prometheus text) and {@code /} (the status
 * page). Bad requests get a 4xx with a JSON {@code error} saying what to do instead.
 */
final class AdminRoutes {

    private final LoadBalancer lb;
    private final PluginCatalog catalog;
    private final ReloadService reloads;
    private final PrometheusExposition prometheus;
    private final StatusReport status;
    private final byte[] statusPage;

    AdminRoutes(LoadBalancer lb, PluginCatalog catalog, ReloadService reloads, PrometheusExposition prometheus) {
        this.lb = lb;
        this.catalog = catalog;
        this.reloads = reloads;
        this.prometheus = prometheus;
        this.status = new StatusReport(lb, reloads);
        this.statusPage = resource("status.html");
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + AdminRoutes.class);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path of {@code uri}, without its query. */
    static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** The path of {@code uri} for a log line: without its query, and cut at 200 characters. */
    static String loggablePath(String uri) {
        String path = pathOf(uri);
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }

    /**
     * Whether a request needs no token: only the status page itself, which holds no data (it asks {@code /status}
     * with the token the operator gives it).
     */
    boolean isPublic(String method, String uri) {
        String path = pathOf(uri);
        return method.equals("GET") && (path.equals("/") || path.equals("/index.html"));
    }

    AdminResponse handle(String method, String uri, byte[] body) {
        String path = pathOf(uri);
        List<String> segments = segments(path);
        if (segments == null) {
            return AdminResponse.error(400, "malformed path " + quote(path) + ": segments must be valid URL-encoded UTF-8");
        }
        return switch (path) {
            case "/", "/index.html" -> get(method, () -> AdminResponse.text(200, "text/html; charset=utf-8",
                    statusPage));
            case "/status" -> get(method, () -> AdminResponse.json(200, status.build()));
            case "/metrics" -> get(method, () -> AdminResponse.text(200, PrometheusExposition.CONTENT_TYPE,
                    prometheus.scrape()));
            case "/plugins" -> get(method, this::plugins);
            case "/reload" -> post(method, this::reload);
            default -> {
                if (segments.size() == 4 && segments.get(0).equals("backends")
                        && (segments.get(3).equals("drain") || segments.get(3).equals("enable"))) {
                    yield post(method, () -> backendAction(segments.get(1), segments.get(2), segments.get(3)));
                }
                yield AdminResponse.error(404, "no admin endpoint " + quote(path) + " (endpoints: GET /, GET /status,"
                        + " GET /metrics, GET /plugins, POST /reload, POST /backends/{pool}/{backend}/drain,"
                        + " POST /backends/{pool}/{backend}/enable)");
            }
        };
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return segments;
    }

    private static AdminResponse get(String method, java.util.function.Supplier<AdminResponse> answer) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return answer.get();
        }
        return AdminResponse.error(405, "method " + method + " is not allowed here: use GET").withHeader("Allow",
                "GET, HEAD");
    }

    private static AdminResponse post(String method, java.util.function.Supplier<AdminResponse> answer) {
        if (method.equals("POST")) {
            return answer.get();
        }
        return AdminResponse.error(405, "method " + method + " is not allowed here: use POST").withHeader("Allow",
                "POST");
    }

    private AdminResponse plugins() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LoadedPlugin plugin : catalog.all()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", plugin.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            item.put("name", plugin.name());
            item.put("description", plugin.description());
            item.put("source", plugin.source());
            list.add(item);
        }
        return AdminResponse.json(200, Map.of("plugins", list));
    }

    private AdminResponse reload() {
        if (reloads == null) {
            return AdminResponse.error(409, "this server was not started from a configuration file, so there is"
                    + " nothing to reload");
        }
        ReloadResult result = reloads.reload("admin");
        Map<String, Object> body = StatusReport.reloadJson(result);
        return AdminResponse.json(result.applied() ? 200 : 422, body);
    }

    private AdminResponse backendAction(String poolName, String backendName, String action) {
        Optional<Pool> pool = lb.pools().stream().filter(p -> p.name().equals(poolName)).findFirst();
        if (pool.isEmpty()) {
            return AdminResponse.error(404, "no pool named " + quote(poolName) + " (pools: "
                    + String.join(", ", lb.pools().stream().map(Pool::name).toList()) + ")");
        }
        if (pool.get().backend(backendName).isEmpty()) {
            return AdminResponse.error(404, "pool " + quote(poolName) + " has no backend named " + quote(backendName)
                    + " (backends: " + String.join(", ", pool.get().backends().stream().map(b -> b.name()).toList())
                    + ")");
        }
        boolean changed = action.equals("drain") ? pool.get().drain(backendName) : pool.get().enable(backendName);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pool", poolName);
        body.put("backend", backendName);
        body.put("action", action);
        body.put("changed", changed);
        body.put("state", pool.get().backend(backendName).orElseThrow().stateName());
        return AdminResponse.json(200, body);
    }

    private static String quote(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return "\"" + shown.replace("\"", "\\\"") + "\"";
    }
}

package dev.lb.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a listener's {@code http} block into an {@link HttpListenerConfig}. */
final class HttpSettingsReader extends BinderSupport {

    /** A method token as RFC 9110 allows, upper case as they are in practice. */
    private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_-]{0,31}");

    private final Path baseDir;

    HttpSettingsReader(BinderSupport shared, Path baseDir) {
        super(shared);
        this.baseDir = baseDir;
    }

    HttpListenerConfig read(ConfigMap m) {
        HttpListenerConfig d = HttpListenerConfig.DEFAULTS;
        int maxHeaderSize = integer(m, "max-header-size", d.maxHeaderSize(), 1024, 1024 * 1024);
        int maxRequestLine = integer(m, "max-request-line", d.maxRequestLine(), 256, 1024 * 1024);
        long maxBodySize = longInteger(m, "max-body-size", d.maxBodySize(), 0, Long.MAX_VALUE);
        Duration headerTimeout = positiveDuration(m, "header-timeout", d.headerTimeout());
        Duration responseTimeout = positiveDuration(m, "response-timeout", d.responseTimeout());
        HttpListenerConfig.Retries retries = safely(() -> m.map("retries"), Optional.<ConfigMap>empty())
                .map(this::readRetries).orElse(d.retries());
        boolean forwarded = safely(() -> m.bool("forwarded-headers", d.forwardedHeaders()), d.forwardedHeaders());
        boolean preserveHost = safely(() -> m.bool("preserve-host", d.preserveHost()), d.preserveHost());
        int maxConnections = integer(m, "max-connections", d.maxConnections(), 1, 1_000_000);
        int maxBackendConnections = integer(m, "max-backend-connections", d.maxBackendConnections(), 1, 100_000);
        HttpListenerConfig.BackendTls backendTls = safely(() -> m.map("backend-tls"), Optional.<ConfigMap>empty())
                .map(this::readBackendTls).orElse(null);
        boolean http2 = safely(() -> m.bool("http2", d.http2()), d.http2());
        Duration backendIdleTimeout = positiveDuration(m, "backend-idle-timeout", d.backendIdleTimeout());
        return new HttpListenerConfig(maxHeaderSize, maxRequestLine, maxBodySize, headerTimeout, responseTimeout,
                retries, forwarded, preserveHost, maxConnections, maxBackendConnections, backendTls, http2,
                backendIdleTimeout);
    }

    private HttpListenerConfig.Retries readRetries(ConfigMap m) {
        HttpListenerConfig.Retries d = HttpListenerConfig.DEFAULTS.retries();
        int attempts = integer(m, "attempts", d.attempts(), 0, 10);
        if (!m.has("methods")) {
            return new HttpListenerConfig.Retries(attempts, d.methods());
        }
        List<String> listed = safely(() -> m.strings("methods"), List.<String>of());
        Set<String> methods = new LinkedHashSet<>();
        for (String method : listed) {
            String upper = method.toUpperCase(Locale.ROOT);
            if (!METHOD.matcher(upper).matches()) {
                problem(m.peek("methods").orElseThrow(), "\"" + method + "\" is not an HTTP method (e.g. GET, PUT)");
            } else {
                methods.add(upper);
            }
        }
        if (methods.contains("POST") || methods.contains("PATCH")) {
            problem(m.peek("methods").orElseThrow(), "POST and PATCH are not idempotent and are never replayed: a"
                    + " backend may already have acted on them; remove them from retries.methods");
            methods.remove("POST");
            methods.remove("PATCH");
        }
        return new HttpListenerConfig.Retries(attempts, methods);
    }

    private HttpListenerConfig.BackendTls readBackendTls(ConfigMap m) {
        Path ca = null;
        if (safely(() -> m.string("ca"), Optional.<String>empty()).isPresent()) {
            ca = readableFile(m, "ca", baseDir, "PEM certificates to trust for backends, e.g. ca: tls/backends.pem");
        }
        boolean verifyHostname = safely(() -> m.bool("verify-hostname", true), true);
        return new HttpListenerConfig.BackendTls(ca, verifyHostname);
    }
}

package dev.lb.plugins.probes;

import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.PluginConfig;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code http}: a backend is healthy when an HTTP request to it answers with an expected status (and, if set, a body
 * containing a given text) within the check's timeout.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code method} (default {@code GET}), {@code path} (default {@code /}).</li>
 *   <li>{@code expect-status} (default {@code 200-399}): {@code 200}, {@code 200-299}, {@code 200,204,300-399}.</li>
 *   <li>{@code body-contains}: a text the first 64 KiB of the body must contain.</li>
 *   <li>{@code host}: the {@code Host} header and TLS server name (default: the backend's address).</li>
 *   <li>{@code tls} (default false): HTTPS, certificate checked against the JDK's trust store and the host name;
 *       {@code insecure: true} accepts any certificate (self-signed backends).</li>
 *   <li>{@code port}: probe this port instead of the backend's traffic port.</li>
 * </ul>
 */
public final class HttpProbeProvider implements HealthProbeProvider {

    /** The statuses that pass unless configured otherwise. */
    public static final String DEFAULT_EXPECT_STATUS = "200-399";

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "healthy when an HTTP(S) request answers an expected status (default 200-399), optionally with a body"
                + " containing a text";
    }

    @Override
    public HealthProbe create(PluginConfig config) {
        String method = config.string("method", "GET").strip().toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]{1,20}")) {
            throw config.invalid("method", "must be an HTTP method such as GET, HEAD or OPTIONS, was \"" + method
                    + "\"");
        }
        String path = config.string("path", "/").strip();
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw config.invalid("path", "must start with / and contain no spaces or control characters (encode"
                    + " them), e.g. /healthz, was \"" + path + "\"");
        }
        StatusRange expect;
        try {
            expect = StatusRange.parse(config.string("expect-status", DEFAULT_EXPECT_STATUS));
        } catch (IllegalArgumentException e) {
            throw config.invalid("expect-status", e.getMessage());
        }
        Optional<String> bodyContains = config.string("body-contains");
        if (bodyContains.isPresent() && bodyContains.get().isEmpty()) {
            throw config.invalid("body-contains", "must not be empty: leave it out to check the status only");
        }
        if (bodyContains.isPresent() && method.equals("HEAD")) {
            throw config.invalid("body-contains", "cannot be checked with method HEAD, which has no body: use GET");
        }
        Optional<String> host = config.string("host").map(String::strip);
        if (host.isPresent() && (host.get().isEmpty() || host.get().chars().anyMatch(c -> c <= ' ' || c >= 0x7f))) {
            throw config.invalid("host", "must be a host name, optionally with :port, e.g. app.example.com, was \""
                    + host.get() + "\"");
        }
        boolean tls = config.bool("tls", false);
        boolean insecure = config.bool("insecure", false);
        if (insecure && !tls) {
            throw config.invalid("insecure", "only applies with tls: true");
        }
        int port = config.has("port") ? (int) config.integer("port", TcpProbe.TRAFFIC_PORT, 1, 65_535)
                : TcpProbe.TRAFFIC_PORT;
        return new HttpProbe(new HttpProbeSettings(method, path, expect, bodyContains.orElse(null),
                host.orElse(null), tls, insecure, port));
    }
}

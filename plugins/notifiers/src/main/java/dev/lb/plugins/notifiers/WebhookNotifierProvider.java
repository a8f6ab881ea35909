package dev.lb.plugins.notifiers;

import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code webhook}: POSTs each event to a URL, so Slack, Discord, Telegram, an n8n workflow or any HTTP service can take
 * it. The body is the documented JSON (docs/notifications.md), or a template with placeholders.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code url} (required): {@code http://} or {@code https://}.</li>
 *   <li>{@code secret}: signs each body with HMAC-SHA256; the signature goes in {@code signature-header}
 *       ({@code X-Lb-Signature} by default) as {@code sha256=<hex>}. Or {@code secret-env}: the name of an
 *       environment variable holding the secret, to keep it out of the file.</li>
 *   <li>{@code timeout} (default {@code 5s}): how long one attempt may take, connecting included.</li>
 *   <li>{@code headers}: extra request headers, e.g. {@code { Authorization: "Bearer ..." }}.</li>
 *   <li>{@code template}: the body, with {@code {{placeholders}}} (see {@link BodyTemplate#PLACEHOLDERS}).</li>
 *   <li>{@code content-type} (default {@code application/json}).</li>
 * </ul>
 * Retries, backoff and the queue are the runtime's settings beside these ({@code attempts}, {@code queue-size}).
 */
public final class WebhookNotifierProvider implements NotifierProvider {

    /** The header that carries the signature unless configured otherwise. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Lb-Signature";

    /** How long one attempt may take unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "POSTs each event as JSON (or a template) to a URL, optionally signed with HMAC-SHA256";
    }

    @Override
    public Notifier create(PluginConfig config) {
        URI url = url(config);
        Optional<String> secret = secret(config);
        String signatureHeader = config.string("signature-header", DEFAULT_SIGNATURE_HEADER).strip();
        checkHeader(config, "signature-header", url, signatureHeader, "x");
        Duration timeout = config.duration("timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw config.invalid("timeout", "must be greater than 0, e.g. 5s");
        }
        String contentType = config.string("content-type", "application/json").strip();
        checkHeader(config, "content-type", url, "Content-Type", contentType);
        Map<String, String> headers = new LinkedHashMap<>();
        Optional<PluginConfig> section = config.section("headers");
        if (section.isPresent()) {
            PluginConfig block = section.get();
            for (String name : block.keys()) {
                String value = block.string(name).orElse("");
                checkHeader(block, name, url, name, value);
                headers.put(name, value);
            }
        }
        BodyTemplate template = null;
        Optional<String> templateText = config.string("template");
        if (templateText.isPresent()) {
            try {
                template = BodyTemplate.parse(templateText.get());
            } catch (IllegalArgumentException e) {
                throw config.invalid("template", e.getMessage());
            }
        }
        return new WebhookNotifier(url, timeout, secret.map(Signer::new).orElse(null), signatureHeader, headers,
                contentType, template);
    }

    /** The secret, from {@code secret} or from the environment variable named by {@code secret-env}. */
    private static Optional<String> secret(PluginConfig config) {
        Optional<String> secret = config.string("secret");
        Optional<String> variable = config.string("secret-env").map(String::strip);
        if (secret.isPresent() && variable.isPresent()) {
            throw config.invalid("secret-env", "give either secret or secret-env, not both");
        }
        if (variable.isPresent()) {
            if (variable.get().isEmpty()) {
                throw config.invalid("secret-env", "must name an environment variable, e.g. LB_WEBHOOK_SECRET");
            }
            secret = Optional.ofNullable(System.getenv(variable.get()));
            if (secret.isEmpty()) {
                throw config.invalid("secret-env", "the environment variable " + variable.get() + " is not set");
            }
        }
        if (secret.isPresent() && secret.get().isEmpty()) {
            // The value itself is never repeated in a message.
            throw config.invalid(variable.isPresent() ? "secret-env" : "secret",
                    "the secret must not be empty: leave it out to send unsigned requests");
        }
        return secret;
    }

    private static URI url(PluginConfig config) {
        String text = config.string("url").orElseThrow(() -> config.invalid(null,
                "missing required key \"url\" (where to POST events, e.g. url: https://hooks.example.com/lb)"));
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw config.invalid("url", "is not a valid URL: " + e.getReason()
                    + " (expected e.g. https://hooks.example.com/lb)");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw config.invalid("url", "must start with http:// or https://, e.g. https://hooks.example.com/lb");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw config.invalid("url", "has no host, e.g. https://hooks.example.com/lb");
        }
        return url;
    }

    /** Lets the JDK's own rules on header names and values (and the headers it reserves) speak at validation. */
    private static void checkHeader(PluginConfig config, String key, URI url, String name, String value) {
        try {
            HttpRequest.newBuilder(url).header(name, value);
        } catch (IllegalArgumentException e) {
            throw config.invalid(key, "header " + name + " cannot be sent: " + e.getMessage()
                    + " (Host, Content-Length, Connection and similar are set by the client itself)");
        }
    }
}

package dev.lb.plugins.notifiers;

import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * The {@code webhook} notifier: POSTs each event to a URL, as the documented JSON body or as a template.
 *
 * <p>{@link #deliver} blocks for one attempt, bounded by the timeout; the runtime calls it on the notifier's own
 * virtual thread, retries with backoff and holds a bounded queue, so a slow or dead endpoint never reaches traffic or
 * health checking. Anything but a 2xx answer is a failed attempt. The HTTP client is made by the first delivery (a
 * notifier created only to validate a configuration opens nothing) and runs on virtual threads.
 *
 * <p>The URL's path and query often carry a token (Slack, Discord and Telegram put one there), and the secret is one:
 * neither appears in messages or logs, which name the endpoint by scheme, host and port only.
 */
final class WebhookNotifier implements Notifier {

    private final URI url;
    private final Duration timeout;
    private final Signer signer;
    private final String signatureHeader;
    private final Map<String, String> headers;
    private final String contentType;
    private final BodyTemplate template;
    private HttpClient client;
    private ExecutorService executor;
    private boolean closed;

    WebhookNotifier(URI url, Duration timeout, Signer signer, String signatureHeader, Map<String, String> headers,
            String contentType, BodyTemplate template) {
        this.url = url;
        this.timeout = timeout;
        this.signer = signer;
        this.signatureHeader = signatureHeader;
        this.headers = Map.copyOf(headers);
        this.contentType = contentType;
        this.template = template;
    }

    /** The body sent for {@code event}: the template's rendering, or the documented JSON. */
    String body(HealthEvent event) {
        return template == null ? EventFields.json(event) : template.render(EventFields.of(event));
    }

    @Override
    public void deliver(HealthEvent event) throws IOException, InterruptedException {
        byte[] body = body(event).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "lb-webhook")
                .header("X-Lb-Event", event.type().configName())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (signer != null) {
            request.header(signatureHeader, signer.sign(body));
        }
        HttpResponse<Void> response;
        try {
            response = client().send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new IOException("webhook " + endpoint() + " did not answer within " + EventFields.human(timeout), e);
        } catch (IOException e) {
            throw new IOException("webhook " + endpoint() + " failed: " + e, e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new IOException("webhook " + endpoint() + " answered " + status + ", expected 2xx");
        }
    }

    /** Where events go, without the path and query that may hold a token. */
    String endpoint() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    private synchronized HttpClient client() throws IOException {
        if (closed) {
            throw new IOException("the webhook notifier is closed");
        }
        if (client == null) {
            executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lb-webhook-", 0).factory());
            client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.shutdownNow();
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "webhook " + endpoint() + (signer != null ? " (signed)" : "");
    }
}

package dev.lb.plugins.notifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.testkit.MapPluginConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WebhookNotifierTest {

    private static final HealthEvent DOWN = new HealthEvent(EventType.BACKEND_DOWN,
            Instant.parse("2026-11-21T05:20:00.125Z"), "app", "a", new InetSocketAddress("127.0.0.1", 9001),
            "3 probes failed: connection refused", Duration.ofMillis(125_400));

    private static final HealthEvent EMPTY = new HealthEvent(EventType.POOL_EMPTY,
            Instant.parse("2026-11-21T05:20:00Z"), "app", null, null, "no eligible backend left (last: a, \"x\")",
            Duration.ofSeconds(3));

    private final WebhookNotifierProvider provider = new WebhookNotifierProvider();

    private Notifier create(Map<String, Object> settings) {
        return provider.create(MapPluginConfig.of(new LinkedHashMap<>(settings)));
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(dev.lb.spi.NotifierProvider.class).stream()
                .anyMatch(p -> p.get().name().equals("webhook")));
    }

    @Test
    void postsTheDocumentedJsonSignedWithTheSecret() throws Exception {
        try (Receiver receiver = new Receiver();
                Notifier notifier = create(Map.of("url", receiver.url("/hook?token=t"), "secret", "s3cret",
                        "headers", Map.of("Authorization", "Bearer abc")))) {
            notifier.deliver(DOWN);
            Receiver.Request request = receiver.awaitRequest(0, Duration.ofSeconds(5));
            assertEquals("POST", request.method());
            assertEquals("/hook?token=t", request.path());
            assertEquals("{\"version\":1,\"event\":\"backend-down\",\"time\":\"2026-11-21T05:20:00.125Z\","
                    + "\"pool\":\"app\",\"backend\":\"a\",\"address\":\"127.0.0.1:9001\","
                    + "\"reason\":\"3 probes failed: connection refused\",\"previous_state_duration_ms\":125400,"
                    + "\"summary\":\"backend a (127.0.0.1:9001) of pool app is DOWN: 3 probes failed: connection"
                    + " refused (was up 2m 5s)\"}", request.body());
            assertEquals(hmac("s3cret", request.body()), request.headers().getFirst("X-Lb-Signature"));
            assertEquals("application/json", request.headers().getFirst("Content-Type"));
            assertEquals("backend-down", request.headers().getFirst("X-Lb-Event"));
            assertEquals("Bearer abc", request.headers().getFirst("Authorization"));
        }
    }

    @Test
    void poolEventsHaveNullBackendAndEscapedText() throws Exception {
        try (Receiver receiver = new Receiver();
                Notifier notifier = create(Map.of("url", receiver.url("/"), "signature-header", "X-Sig",
                        "secret", "k"))) {
            notifier.deliver(EMPTY);
            Receiver.Request request = receiver.awaitRequest(0, Duration.ofSeconds(5));
            assertTrue(request.body().contains("\"backend\":null,\"address\":null,"), request.body());
            assertTrue(request.body().contains("\"reason\":\"no eligible backend left (last: a, \\\"x\\\")\""),
                    request.body());
            assertEquals(hmac("k", request.body()), request.headers().getFirst("X-Sig"));
            assertFalse(request.headers().containsKey("X-Lb-Signature"));
        }
    }

    @Test
    void theSecretMayComeFromTheEnvironment() throws Exception {
        // PATH is set wherever tests run; any variable's value serves as a secret here.
        String secret = System.getenv("PATH");
        try (Receiver receiver = new Receiver();
                Notifier notifier = create(Map.of("url", receiver.url("/"), "secret-env", "PATH"))) {
            notifier.deliver(DOWN);
            Receiver.Request request = receiver.awaitRequest(0, Duration.ofSeconds(5));
            assertEquals(hmac(secret, request.body()), request.headers().getFirst("X-Lb-Signature"));
        }
    }

    @Test
    void unsignedWithoutASecret() throws Exception {
        try (Receiver receiver = new Receiver(); Notifier notifier = create(Map.of("url", receiver.url("/")))) {
            notifier.deliver(DOWN);
            assertFalse(receiver.awaitRequest(0, Duration.ofSeconds(5)).headers().containsKey("X-Lb-Signature"));
        }
    }

    @Test
    void aTemplateShapesTheBodyForAChatService() throws Exception {
        String slack = "{\"text\": \"{{emoji}} lb: {{summary}}\", \"pool\": \"{{pool}}\", \"ms\": {{duration_ms}}}";
        try (Receiver receiver = new Receiver();
                Notifier notifier = create(Map.of("url", receiver.url("/slack"), "template", slack,
                        "secret", "k"))) {
            notifier.deliver(EMPTY);
            Receiver.Request request = receiver.awaitRequest(0, Duration.ofSeconds(5));
            assertEquals("{\"text\": \"\uD83D\uDD34 lb: pool app has NO eligible backend: no eligible backend left"
                    + " (last: a, \\\"x\\\") (had one for 3s)\", \"pool\": \"app\", \"ms\": 3000}", request.body());
            assertEquals(hmac("k", request.body()), request.headers().getFirst("X-Lb-Signature"),
                    "the signature covers the exact bytes sent");
        }
    }

    @Test
    void anAnswerOtherThan2xxFailsTheAttemptWithoutNamingTheSecretOrTheToken() throws Exception {
        try (Receiver receiver = new Receiver();
                Notifier notifier = create(Map.of("url", receiver.url("/hook/T0K3N"), "secret", "s3cret"))) {
            receiver.answer(500);
            IOException e = assertThrows(IOException.class, () -> notifier.deliver(DOWN));
            String port = receiver.url("").replaceAll(".*:", "");
            assertEquals("webhook http://127.0.0.1:" + port + " answered 500, expected 2xx", e.getMessage());
            assertFalse(notifier.toString().contains("s3cret") || notifier.toString().contains("T0K3N"));
        }
    }

    @Test
    void aHangingReceiverCostsOneTimeoutPerAttempt() throws Exception {
        try (Receiver receiver = new Receiver();
                Notifier notifier = create(Map.of("url", receiver.url("/"), "timeout", "300ms"))) {
            receiver.hang();
            long started = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> notifier.deliver(DOWN));
            long took = System.nanoTime() - started;
            assertTrue(e.getMessage().endsWith("did not answer within 300ms"), e.getMessage());
            assertTrue(took >= Duration.ofMillis(250).toNanos(), "waited for the timeout: " + took);
        }
    }

    @Test
    void aRefusedConnectionIsAFailedAttempt() throws Exception {
        String url;
        try (Receiver receiver = new Receiver()) {
            url = receiver.url("/");
        }
        try (Notifier notifier = create(Map.of("url", url, "timeout", "2s"))) {
            IOException e = assertThrows(IOException.class, () -> notifier.deliver(DOWN));
            assertTrue(e.getMessage().startsWith("webhook http://127.0.0.1:"), e.getMessage());
        }
    }

    @Test
    void badSettingsAreRefusedAtTheirKey() {
        assertProblem(null, "missing required key \"url\"", Map.of());
        assertProblem("url", "must start with http:// or https://", Map.of("url", "ftp://x/"));
        assertProblem("url", "is not a valid URL", Map.of("url", "http://exa mple"));
        assertProblem("url", "has no host", Map.of("url", "http:///path"));
        assertProblem("timeout", "must be greater than 0", Map.of("url", "http://127.0.0.1/", "timeout", "0s"));
        assertProblem("secret", "the secret must not be empty", Map.of("url", "http://127.0.0.1/", "secret", ""));
        assertProblem("secret-env", "give either secret or secret-env, not both",
                Map.of("url", "http://127.0.0.1/", "secret", "x", "secret-env", "PATH"));
        assertProblem("secret-env", "the environment variable LB_TEST_SURELY_UNSET_VARIABLE is not set",
                Map.of("url", "http://127.0.0.1/", "secret-env", "LB_TEST_SURELY_UNSET_VARIABLE"));
        assertProblem("template", "unknown placeholder {{host}} (known: event, time, pool, backend, address,"
                + " reason, duration, duration_ms, summary, emoji)",
                Map.of("url", "http://127.0.0.1/", "template", "{\"text\": \"{{host}}\"}"));
        assertProblem("Host", "header Host cannot be sent", Map.of("url", "http://127.0.0.1/",
                "headers", Map.of("Host", "x")));
        assertProblem("signature-header", "header bad header cannot be sent",
                Map.of("url", "http://127.0.0.1/", "signature-header", "bad header"));
    }

    private void assertProblem(String key, String start, Map<String, Object> settings) {
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> create(settings));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void creatingOpensNothingAndCloseIsSafeWithoutDelivery() {
        // Other tests' notifiers may still be winding their threads down: only threads new since now count.
        Set<Thread> before = deliveryThreads();
        Notifier notifier = create(Map.of("url", "http://127.0.0.1:1/", "secret", "s"));
        Set<Thread> started = deliveryThreads();
        started.removeAll(before);
        assertTrue(started.isEmpty(), () -> "threads started by creating a notifier: " + started);
        notifier.close();
        assertThrows(IOException.class, () -> notifier.deliver(DOWN), "closed");
    }

    /** The live threads of HTTP clients and webhook deliveries in this JVM. */
    private static Set<Thread> deliveryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") || t.getName().startsWith("lb-webhook-"))
                .collect(Collectors.toCollection(HashSet::new));
    }
}

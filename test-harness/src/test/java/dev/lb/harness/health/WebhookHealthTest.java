package dev.lb.harness.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.harness.TestSockets;
import dev.lb.harness.backend.DummyTcpBackend;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active health checks end to end: real backends that die and return, a real webhook receiver that checks the body
 * and its signature, and a TCP listener that closes clients at once while its pool is empty.
 */
@Timeout(90)
class WebhookHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "s3cret-for-tests";

    @TempDir
    Path dir;

    private static String config(DummyTcpBackend a, DummyTcpBackend b, WebhookReceiver receiver) {
        return """
                listeners:
                  - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app, connect-attempts: 1 }
                pools:
                  app:
                    backends:
                      - { name: a, address: %s }
                      - { name: b, address: %s }
                    health: { probe: tcp, interval: 200ms, timeout: 200ms, rise: 2, fall: 3 }
                notifiers:
                  - { type: webhook, url: "%s", secret: %s, timeout: 2s, attempts: 3, backoff: 50ms }
                """.formatted(address(a), address(b), receiver.url(), SECRET);
    }

    static String address(DummyTcpBackend backend) {
        return "127.0.0.1:" + backend.address().getPort();
    }

    @Test
    void aDeadBackendIsReportedDownAfterFallAndUpAfterRiseBySignedWebhooks() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                Balancer balancer = Balancer.start(config(a, b, receiver), dir)) {
            Instant before = Instant.now();
            b.stop();
            WebhookReceiver.Received down = receiver.await("backend-down", "b", 0, WAIT);
            assertEquals(WebhookReceiver.sign(SECRET, down.body()), down.signature(), "valid HMAC of the exact body");
            JsonNode json = down.json();
            assertEquals(1, json.path("version").asInt());
            assertEquals("app", json.path("pool").asText());
            assertEquals("127.0.0.1:" + b.address().getPort(), json.path("address").asText());
            assertEquals("3 probes failed: connection refused", json.path("reason").asText());
            assertFalse(Instant.parse(json.path("time").asText()).isBefore(before.minusSeconds(1)));
            assertTrue(json.path("previous_state_duration_ms").asLong() >= 0);
            assertTrue(json.path("summary").asText().startsWith("backend b (127.0.0.1:" + b.address().getPort()
                    + ") of pool app is DOWN: 3 probes failed: connection refused"), json.toString());
            assertFalse(balancer.pool("app").backend("b").orElseThrow().isHealthy());
            for (int i = 0; i < 6; i++) {
                assertEquals("a", balancer.identity("l4"), "no client is sent to the dead backend");
            }

            int mark = receiver.received().size();
            b.restart();
            WebhookReceiver.Received up = receiver.await("backend-up", "b", mark, WAIT);
            assertEquals(WebhookReceiver.sign(SECRET, up.body()), up.signature());
            assertEquals("2 probes passed", up.json().path("reason").asText());
            assertTrue(up.json().path("previous_state_duration_ms").asLong() > 0, "it was down for a while");
            assertEquals(List.of("backend-down", "backend-up"),
                    receiver.received().stream().map(WebhookReceiver.Received::event).toList());
        }
    }

    @Test
    void anEmptyPoolIsReportedAndItsTcpListenerClosesClientsAtOnce() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                Balancer balancer = Balancer.start(config(a, b, receiver), dir)) {
            a.stop();
            b.stop();
            WebhookReceiver.Received empty = receiver.await("pool-empty", null, 0, WAIT);
            assertEquals(WebhookReceiver.sign(SECRET, empty.body()), empty.signature());
            assertTrue(empty.json().path("backend").isNull() && empty.json().path("address").isNull());
            assertTrue(empty.json().path("reason").asText().startsWith("no eligible backend left (last: "),
                    empty.body());

            // Closed at once: measured against the same client's connect, not against a wall-clock constant.
            long connectStarted = System.nanoTime();
            try (Socket client = TestSockets.connect(balancer.address("l4"))) {
                long connected = System.nanoTime() - connectStarted;
                long started = System.nanoTime();
                assertEquals(-1, client.getInputStream().read(), "closed without a byte");
                long closedAfter = System.nanoTime() - started;
                assertTrue(closedAfter < Duration.ofSeconds(2).toNanos() + 50 * connected,
                        "closed by the empty pool, not by a timeout: " + closedAfter);
            }

            int mark = receiver.received().size();
            a.restart();
            WebhookReceiver.Received recovered = receiver.await("pool-recovered", null, mark, WAIT);
            assertEquals("backend a is eligible again", recovered.json().path("reason").asText());
            assertTrue(recovered.json().path("previous_state_duration_ms").asLong() > 0);
            assertEquals("a", balancer.identity("l4"));
            assertNull(receiver.received().stream().filter(r -> r.signature() == null).findAny().orElse(null),
                    "every request is signed");
        }
    }
}

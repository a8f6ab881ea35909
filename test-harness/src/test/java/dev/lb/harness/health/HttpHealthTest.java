package dev.lb.harness.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.pool.BackendState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Health with an HTTP listener: the http probe, 503 at once on an empty pool, and ejection on live 5xx. */
@Timeout(90)
class HttpHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String address(DummyHttpBackend backend) {
        return "127.0.0.1:" + backend.address().getPort();
    }

    private static HttpResponse<String> get(HttpClient client, Balancer balancer) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + balancer.address("web").getPort() + "/");
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpProbeTakesDeadBackendsOutAndAnEmptyPoolAnswers503AtOnce() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                HttpClient client = HttpClient.newHttpClient();
                Balancer balancer = Balancer.start("""
                        listeners:
                          - { name: web, protocol: http, bind: 127.0.0.1:0, pool: app, connect-timeout: 10s }
                        pools:
                          app:
                            backends:
                              - { name: a, address: %s }
                              - { name: b, address: %s }
                            health:
                              probe: { type: http, path: /healthz, expect-status: 200-299 }
                              interval: 300ms
                              timeout: 300ms
                              rise: 1
                              fall: 2
                        notifiers:
                          - { type: webhook, url: "%s", secret: k }
                        """.formatted(address(a), address(b), receiver.url()), dir)) {
            HttpResponse<String> warm = get(client, balancer);
            assertEquals(200, warm.statusCode(), warm.body());
            b.failWith(503); // the probe sees it too: b goes down for its status
            WebhookReceiver.Received downB = receiver.await("backend-down", "b", 0, WAIT);
            assertEquals("2 probes failed: status 503, expected 200-299", downB.json().path("reason").asText());
            assertEquals(WebhookReceiver.sign("k", downB.body()), downB.signature());
            for (int i = 0; i < 4; i++) {
                assertEquals("a", get(client, balancer).headers().firstValue("X-Backend").orElse(""));
            }

            a.stop();
            receiver.await("pool-empty", null, 0, WAIT);
            long started = System.nanoTime();
            HttpResponse<String> first = get(client, balancer);
            long took = System.nanoTime() - started;
            assertEquals(503, first.statusCode());
            assertTrue(first.body().contains("503"), first.body());
            // At once: no backend is tried, so not even one connect timeout (10s here) is waited for.
            assertTrue(took < Duration.ofSeconds(10).toNanos(), "answered without trying a backend: " + took);

            int mark = receiver.received().size();
            b.failWith(200);
            receiver.await("pool-recovered", null, mark, WAIT);
            HttpResponse<String> recovered = get(client, balancer);
            assertEquals(200, recovered.statusCode());
            assertEquals("b", recovered.headers().firstValue("X-Backend").orElse(""));
        }
    }

    @Test
    void aBackendAnswering500ToTrafficButPassingItsProbeIsEjectedAndReadmitted() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                HttpClient client = HttpClient.newHttpClient();
                Balancer balancer = Balancer.start("""
                        listeners:
                          - { name: web, protocol: http, bind: 127.0.0.1:0, pool: app }
                        pools:
                          app:
                            backends:
                              - { name: a, address: %s }
                              - { name: b, address: %s }
                            health: { probe: tcp, interval: 200ms, timeout: 200ms, rise: 1, fall: 2 }
                            outlier-detection: { consecutive-5xx: 3, base-ejection-time: 2s }
                        notifiers:
                          - { type: webhook, url: "%s" }
                        """.formatted(address(a), address(b), receiver.url()), dir)) {
            BackendState stateB = balancer.pool("app").backend("b").orElseThrow();
            b.failWith(500);
            int fivexx = 0;
            for (int i = 0; i < 20 && !stateB.isEjected(); i++) {
                if (get(client, balancer).statusCode() == 500) {
                    fivexx++;
                    // The detector counts on the event loop and ejects on the health scheduler a moment later: give
                    // that moment (bounded) before the next request, so a loaded machine does not race it.
                    long until = System.nanoTime() + 200_000_000L;
                    while (fivexx >= 3 && !stateB.isEjected() && System.nanoTime() < until) {
                        Thread.sleep(5);
                    }
                }
            }
            WebhookReceiver.Received down = receiver.await("backend-down", "b", 0, WAIT);
            assertEquals("ejected by outlier detection for 2s: 3 consecutive 5xx responses (last: 500)",
                    down.json().path("reason").asText());
            assertEquals(3, fivexx, "ejected after the third 5xx");
            assertTrue(stateB.isHealthy(), "its probe still passes: the ejection is passive health alone");
            assertEquals("ejected", stateB.stateName());
            assertEquals(Map.of("a", 6), serve(client, balancer, 6), "no traffic while ejected");

            b.failWith(200);
            WebhookReceiver.Received up = receiver.await("backend-up", "b", 0, WAIT);
            assertEquals("ejection of 2s by outlier detection ended", up.json().path("reason").asText());
            assertTrue(up.json().path("previous_state_duration_ms").asLong() >= 2000);
            assertFalse(stateB.isEjected());
            assertEquals(Map.of("a", 3, "b", 3), serve(client, balancer, 6), "readmitted");
        }
    }

    private static Map<String, Integer> serve(HttpClient client, Balancer balancer, int requests) throws Exception {
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = get(client, balancer);
            assertEquals(200, response.statusCode());
            served.merge(response.headers().firstValue("X-Backend").orElse("?"), 1, Integer::sum);
        }
        return served;
    }
}

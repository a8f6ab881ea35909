package dev.lb.harness.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.pool.BackendState;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload and metrics with the HTTP listener: 20 reloads (two valid configurations alternating, one invalid) under
 * continuous bounded HTTP load with zero failed requests; a pool's members changed under load with zero failed
 * requests; listener and backend responses counted by status class.
 */
class HttpReloadAndMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String config(String algorithm, String interval, DummyHttpBackend... backends) {
        StringBuilder list = new StringBuilder();
        for (DummyHttpBackend backend : backends) {
            list.append("      - { name: ").append(backend.name()).append(", address: \"127.0.0.1:")
                    .append(backend.address().getPort()).append("\" }\n");
        }
        return """
                listeners:
                  - { name: web, protocol: http, bind: 127.0.0.1:0, pool: app }
                pools:
                  app:
                    algorithm: %s
                    health: { probe: tcp, interval: %s, timeout: 500ms }
                    backends:
                %s
                admin: { bind: 127.0.0.1:0 }
                """.formatted(algorithm, interval, list.toString().stripTrailing());
    }

    /** Bounded continuous HTTP load over keep-alive connections; every non-200 or error is a failure. */
    private static final class HttpLoad implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        HttpLoad(InetSocketAddress listener, int clients, int budget) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI uri = URI.create("http://127.0.0.1:" + listener.getPort() + "/load");
            AtomicInteger left = new AtomicInteger(budget);
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().daemon().name("http-load-" + i).start(() -> {
                    while (running.get() && left.getAndDecrement() > 0) {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
        }

        @Override
        public void close() {
            running.set(false);
            try {
                for (Thread thread : threads) {
                    thread.join(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void twentyReloadsUnderHttpLoadLoseNoRequest() throws Exception {
        try (DummyHttpBackend b1 = DummyHttpBackend.start("b1"); DummyHttpBackend b2 = DummyHttpBackend.start("b2")) {
            String configA = config("round-robin", "1s", b1, b2);
            String configB = config("random", "2s", b1, b2);
            String invalid = config("random", "-1s", b1, b2);
            try (AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), configA, null)) {
                InetSocketAddress listener = lb.listener("web");
                HttpLoad load = new HttpLoad(listener, 4, 100_000);
                int applied = 0;
                try {
                    assertTrue(Traffic.await(Duration.ofSeconds(15), () -> load.ok.get() > 20));
                    for (int i = 0; i < 20; i++) {
                        boolean bad = i == 7;
                        Files.writeString(lb.file, bad ? invalid : applied % 2 == 0 ? configB : configA);
                        HttpResponse<String> response = lb.post("/reload");
                        JsonNode body = JSON.readTree(response.body());
                        if (bad) {
                            assertEquals(422, response.statusCode(), response.body());
                            assertTrue(body.get("problems").get(0).asText()
                                    .startsWith(lb.file + ":6:"), body.toString());
                        } else {
                            assertEquals(200, response.statusCode(), response.body());
                            assertEquals("[\"app\"]", body.at("/changes/poolsChanged").toString());
                            assertEquals("[\"web\"]", body.at("/changes/listenersUnchanged").toString());
                            applied++;
                        }
                        int mark = load.ok.get();
                        assertTrue(Traffic.await(Duration.ofSeconds(10), () -> load.ok.get() >= mark + 10),
                                "requests flow after reload " + i);
                    }
                } finally {
                    load.close();
                }
                assertEquals(List.of(), List.copyOf(load.failures), "failed requests during the reloads");
                assertEquals(19, applied);
                assertEquals(listener, lb.listener("web"));
                System.out.printf("reload under HTTP load: %d requests, 0 failed, 19 reloads applied, 1 refused%n",
                        load.ok.get());
            }
        }
    }

    @Test
    void theBackendsOfAPoolAnHttpListenerServesChangeUnderLoadWithoutAFailedRequest() throws Exception {
        try (DummyHttpBackend b1 = DummyHttpBackend.start("b1"); DummyHttpBackend b2 = DummyHttpBackend.start("b2");
                DummyHttpBackend b3 = DummyHttpBackend.start("b3");
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config("round-robin", "1s", b1, b2),
                        null)) {
            InetSocketAddress listener = lb.listener("web");
            HttpLoad load = new HttpLoad(listener, 4, 100_000);
            try {
                assertTrue(Traffic.await(Duration.ofSeconds(15), () -> b1.requests() > 10 && b2.requests() > 10));
                // b1 leaves and b3 joins: b3 is served through a connection pool made on its first request.
                Files.writeString(lb.file, config("round-robin", "1s", b2, b3));
                HttpResponse<String> response = lb.post("/reload");
                assertEquals(200, response.statusCode(), response.body());
                assertEquals("[\"app\"]", JSON.readTree(response.body()).at("/changes/poolsChanged").toString());
                assertTrue(Traffic.await(Duration.ofSeconds(10), () -> b3.requests() > 10), "b3 takes traffic");
                long b1Settled = b1.requests();
                int mark = load.ok.get();
                assertTrue(Traffic.await(Duration.ofSeconds(10), () -> load.ok.get() >= mark + 50));
                assertEquals(b1Settled, b1.requests(), "a removed backend takes no new request");
                JsonNode backends = JSON.readTree(lb.get("/status").body()).at("/pools/0/backends");
                assertEquals(2, backends.size(), backends.toString());

                // And back: b1 returns afresh, b2 leaves.
                Files.writeString(lb.file, config("round-robin", "1s", b1, b3));
                assertEquals(200, lb.post("/reload").statusCode());
                long b1Before = b1.requests();
                assertTrue(Traffic.await(Duration.ofSeconds(10), () -> b1.requests() > b1Before + 10),
                        "b1 takes traffic again");
                long b2Settled = b2.requests();
                int mark2 = load.ok.get();
                assertTrue(Traffic.await(Duration.ofSeconds(10), () -> load.ok.get() >= mark2 + 50));
                assertEquals(b2Settled, b2.requests(), "a removed backend takes no new request");
            } finally {
                load.close();
            }
            assertEquals(List.of(), List.copyOf(load.failures), "failed requests while the pool's members changed");
            System.out.printf("HTTP pool membership reloads under load: %d requests, 0 failed%n", load.ok.get());
        }
    }

    private static String outlierConfig(int fiveXx, DummyHttpBackend... backends) {
        StringBuilder list = new StringBuilder();
        for (DummyHttpBackend backend : backends) {
            list.append("      - { name: ").append(backend.name()).append(", address: \"127.0.0.1:")
                    .append(backend.address().getPort()).append("\" }\n");
        }
        return """
                listeners:
                  - { name: web, protocol: http, bind: 127.0.0.1:0, pool: app }
                pools:
                  app:
                    algorithm: round-robin
                    outlier-detection: { consecutive-5xx: %d, base-ejection-time: 5m, max-ejection-time: 5m }
                    backends:
                %s
                admin: { bind: 127.0.0.1:0 }
                """.formatted(fiveXx, list.toString().stripTrailing());
    }

    @Test
    void aReloadKeepsAnEjectionUnlessTheOutlierSettingsChange() throws Exception {
        try (DummyHttpBackend b1 = DummyHttpBackend.start("b1"); DummyHttpBackend b2 = DummyHttpBackend.start("b2");
                DummyHttpBackend b3 = DummyHttpBackend.start("b3");
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), outlierConfig(2, b1, b2), null)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + lb.listener("web").getPort() + "/");
            b1.failWith(500);
            for (int i = 0; i < 4; i++) {
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
            }
            BackendState first = lb.lb.pools().iterator().next().backend("b1").orElseThrow();
            assertTrue(Traffic.await(Duration.ofSeconds(10), first::isEjected), "b1 ejected");

            // Another member: b1 is the same backend, so it stays ejected; b3 joins.
            Files.writeString(lb.file, outlierConfig(2, b1, b2, b3));
            assertEquals(200, lb.post("/reload").statusCode());
            assertTrue(first.isEjected(), "a kept backend keeps its ejection");
            assertEquals("ejected", JSON.readTree(lb.get("/status").body()).at("/pools/0/backends/0/state").asText());
            for (int i = 0; i < 6; i++) {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertEquals(200, response.statusCode(), "only b2 and b3 answer");
            }

            // New outlier settings: a fresh detector, and b1 is let back at once (and, fixed, answers again).
            b1.failWith(200);
            Files.writeString(lb.file, outlierConfig(3, b1, b2, b3));
            assertEquals(200, lb.post("/reload").statusCode());
            assertFalse(first.isEjected(), "the old detector's ejection ended");
            long before = b1.requests();
            for (int i = 0; i < 6; i++) {
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
            }
            assertTrue(b1.requests() > before, "b1 takes traffic again");
        }
    }

    @Test
    void backendResponsesAreCountedByStatusClass() throws Exception {
        try (DummyHttpBackend b1 = DummyHttpBackend.start("b1");
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config("round-robin", "1s", b1), null)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + lb.listener("web").getPort() + "/");
            for (int i = 0; i < 7; i++) {
                assertEquals(200, http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            b1.failWith(404);
            for (int i = 0; i < 3; i++) {
                assertEquals(404, http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            List<PrometheusText.Sample> samples = PrometheusText.parse(lb.get("/metrics").body());
            Map<String, String> b1Labels = Map.of("pool", "app", "backend", "b1");
            assertEquals(7, PrometheusText.sum(samples, "lb_backend_responses_total",
                    Map.of("backend", "b1", "class", "2xx")));
            assertEquals(3, PrometheusText.sum(samples, "lb_backend_responses_total",
                    Map.of("backend", "b1", "class", "4xx")));
            assertEquals(10, PrometheusText.sum(samples, "lb_backend_requests_total", b1Labels));
            assertEquals(10, PrometheusText.sum(samples, "lb_pool_picks_total",
                    Map.of("pool", "app", "algorithm", "round-robin")));
            // The listener's own figures: what its clients were answered, and how long it took.
            Map<String, String> web = Map.of("listener", "web");
            assertEquals(10, PrometheusText.sum(samples, "lb_listener_requests_total", web));
            assertEquals(7, PrometheusText.sum(samples, "lb_listener_responses_total",
                    Map.of("listener", "web", "class", "2xx")));
            assertEquals(3, PrometheusText.sum(samples, "lb_listener_responses_total",
                    Map.of("listener", "web", "class", "4xx")));
            assertEquals(10, PrometheusText.sum(samples, "lb_listener_latency_first_byte_count", web));
            assertEquals(10, PrometheusText.sum(samples, "lb_listener_latency_complete_count", web));
            assertEquals(0, PrometheusText.sum(samples, "lb_listener_retries_total", web));
            assertFalse(samples.isEmpty());
        }
    }
}

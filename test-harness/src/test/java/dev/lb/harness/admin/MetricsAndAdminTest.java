package dev.lb.harness.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.harness.backend.DummyTcpBackend;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Metrics follow real traffic, /metrics is valid Prometheus text, and the admin API drains, enables and guards. */
class MetricsAndAdminTest {

    private static final String TOKEN = "t0ken-" + Long.toHexString(System.nanoTime()) + "-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DummyTcpBackend b1;
    private DummyTcpBackend b2;
    private AdminFixture lb;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        b1 = DummyTcpBackend.start("b1");
        b2 = DummyTcpBackend.start("b2");
        lb = new AdminFixture(dir.resolve("lb.yaml"), """
                listeners:
                  - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                pools:
                  app:
                    algorithm: round-robin
                    backends:
                      - { name: b1, address: "%s" }
                      - { name: b2, address: "%s" }
                admin: { bind: 127.0.0.1:0, token: "%s" }
                """.formatted(address(b1), address(b2), TOKEN), TOKEN);
    }

    private static String address(DummyTcpBackend backend) {
        return "127.0.0.1:" + backend.address().getPort();
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        lb.close();
        b1.close();
        b2.close();
    }

    private List<PrometheusText.Sample> scrape() throws Exception {
        HttpResponse<String> response = lb.get("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(response.body());
    }

    @Test
    void metricsCountExactlyTheTrafficSentAndParseAsPrometheusText() throws Exception {
        int exchanges = 40;
        for (int i = 0; i < exchanges; i++) {
            Traffic.exchange(lb.listener("l4"));
        }
        // Closes are observed asynchronously: wait until every connection is accounted as closed.
        assertTrue(Traffic.await(Duration.ofSeconds(10),
                () -> lb.lb.metrics().listener("l4").activeConnections() == 0));
        List<PrometheusText.Sample> samples = scrape();
        Map<String, String> l4 = Map.of("listener", "l4");
        assertEquals(exchanges, PrometheusText.sum(samples, "lb_listener_connections_total", l4));
        assertEquals(0, PrometheusText.sum(samples, "lb_listener_connections_active", l4));
        assertEquals(exchanges, PrometheusText.sum(samples, "lb_listener_latency_complete_count", l4));
        assertEquals(exchanges, PrometheusText.sum(samples, "lb_listener_latency_connect_count", l4));
        assertEquals(exchanges / 2, PrometheusText.sum(samples, "lb_backend_connections_total",
                Map.of("pool", "app", "backend", "b1")));
        assertEquals(exchanges / 2, PrometheusText.sum(samples, "lb_backend_connections_total",
                Map.of("pool", "app", "backend", "b2")));
        assertEquals(exchanges, PrometheusText.sum(samples, "lb_pool_picks_total",
                Map.of("pool", "app", "algorithm", "round-robin")));
        // Each exchange sends "ping\n" (5 bytes) and receives "bN\n" plus the echo (3 + 5 bytes).
        assertEquals(exchanges * 5, PrometheusText.sum(samples, "lb_listener_bytes_in_total", l4));
        assertEquals(exchanges * 8, PrometheusText.sum(samples, "lb_listener_bytes_out_total", l4));
        assertEquals(exchanges * 8, PrometheusText.sum(samples, "lb_backend_bytes_out_total", Map.of()));
        assertEquals(1, PrometheusText.sum(samples, "lb_backend_healthy", Map.of("backend", "b1")));
        assertEquals(0, PrometheusText.sum(samples, "lb_backend_retries_total", Map.of()));
        assertTrue(samples.stream().anyMatch(s -> s.name().startsWith("jvm_memory_heap_used")), "JVM figures");

        JsonNode status = JSON.readTree(lb.get("/status").body());
        assertEquals("l4", status.at("/listeners/0/name").asText());
        assertEquals(exchanges, status.at("/listeners/0/connections").asLong());
        assertEquals("b1", status.at("/pools/0/backends/0/name").asText());
        assertEquals("up", status.at("/pools/0/backends/0/state").asText());
        assertEquals(exchanges / 2, status.at("/pools/0/backends/1/connections").asLong());
    }

    @Test
    void retriesAndConnectFailuresAreCounted() throws Exception {
        b2.stop();
        for (int i = 0; i < 6; i++) {
            assertEquals("b1", Traffic.exchange(lb.listener("l4")));
        }
        List<PrometheusText.Sample> samples = scrape();
        double failures = PrometheusText.sum(samples, "lb_backend_connect_failures_total", Map.of("backend", "b2"));
        assertTrue(failures >= 1, "connect failures to b2: " + failures);
        assertEquals(failures, PrometheusText.sum(samples, "lb_listener_retries_total", Map.of("listener", "l4")));
    }

    @Test
    void drainTakesABackendOutWithNoFailedRequestAndEnablePutsItBack() throws Exception {
        Traffic.Load load = new Traffic.Load(lb.listener("l4"), 4, 20_000);
        try {
            assertTrue(Traffic.await(Duration.ofSeconds(10), () -> load.ok.get() > 50));
            HttpResponse<String> drained = lb.post("/backends/app/b2/drain");
            assertEquals(200, drained.statusCode(), drained.body());
            JsonNode body = JSON.readTree(drained.body());
            assertEquals("draining", body.get("state").asText());
            assertTrue(body.get("changed").asBoolean());
            int mark = load.ok.get();
            assertTrue(Traffic.await(Duration.ofSeconds(20), () -> load.ok.get() > mark + 100
                    && load.last(60).stream().allMatch("b1"::equals)), "only b1 after the drain: " + load.last(60));
            assertEquals("draining", JSON.readTree(lb.get("/status").body()).at("/pools/0/backends/1/state").asText());

            assertEquals(200, lb.post("/backends/app/b2/enable").statusCode());
            assertTrue(Traffic.await(Duration.ofSeconds(20), () -> load.last(20).contains("b2")),
                    "b2 back in rotation: " + load.last(20));
        } finally {
            load.close();
        }
        assertEquals(List.of(), List.copyOf(load.failures), "failed exchanges");
        assertTrue(load.ok.get() > 150, "exchanges: " + load.ok.get());
    }

    @Test
    void unauthorisedCallsAreRefusedAndTheTokenIsNeverShown() throws Exception {
        HttpResponse<String> none = lb.send(HttpRequest.newBuilder(lb.adminUri("/status")).GET(), null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"lb-admin\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        HttpResponse<String> wrong = lb.send(HttpRequest.newBuilder(lb.adminUri("/backends/app/b1/drain"))
                .POST(HttpRequest.BodyPublishers.noBody()), "not-the-token");
        assertEquals(401, wrong.statusCode());
        assertTrue(lb.lb.pool("app").backend("b1").orElseThrow().isEligible(), "a refused drain changed nothing");
        HttpResponse<String> metrics = lb.send(HttpRequest.newBuilder(lb.adminUri("/metrics")).GET(), null);
        assertEquals(401, metrics.statusCode());
        assertEquals(200, lb.get("/status").statusCode());
        // The page itself holds no data and loads without the token (it asks for it).
        HttpResponse<String> page = lb.send(HttpRequest.newBuilder(lb.adminUri("/")).GET(), null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("lb status"));
        for (HttpResponse<String> response : List.of(none, wrong, metrics, page, lb.get("/status"),
                lb.get("/plugins"), lb.post("/reload"))) {
            assertFalse(response.body().contains(TOKEN), "the token in a response: " + response.body());
        }
        assertTrue(logs.list.stream().noneMatch(e -> e.getFormattedMessage().contains(TOKEN)), "the token in a log");
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("missing or wrong bearer token")));
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        HttpResponse<String> noPool = lb.post("/backends/nope/b1/drain");
        assertEquals(404, noPool.statusCode());
        assertEquals("no pool named \"nope\" (pools: app)", JSON.readTree(noPool.body()).get("error").asText());
        HttpResponse<String> noBackend = lb.post("/backends/app/b9/enable");
        assertEquals(404, noBackend.statusCode());
        assertEquals("pool \"app\" has no backend named \"b9\" (backends: b1, b2)",
                JSON.readTree(noBackend.body()).get("error").asText());
        HttpResponse<String> wrongMethod = lb.get("/backends/app/b1/drain");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());
        assertEquals(405, lb.post("/status").statusCode());
        HttpResponse<String> unknown = lb.get("/nothing-here");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("endpoints: GET /, GET /status"), unknown.body());
    }

    @Test
    void pluginsAreListed() throws Exception {
        JsonNode plugins = JSON.readTree(lb.get("/plugins").body()).get("plugins");
        assertTrue(plugins.toString().contains("\"name\":\"round-robin\""), plugins.toString());
        assertTrue(plugins.toString().contains("\"kind\":\"health-probe\""), plugins.toString());
    }
}

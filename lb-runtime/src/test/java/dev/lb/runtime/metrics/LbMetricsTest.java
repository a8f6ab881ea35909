package dev.lb.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.notify.NotifierStats;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.TestBackends;
import dev.lb.spi.Algorithm;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class LbMetricsTest {

    private final LbMetrics metrics = new LbMetrics();
    private final PrometheusExposition exposition = new PrometheusExposition(metrics.registry());

    private String scrape() {
        return new String(exposition.scrape(), StandardCharsets.UTF_8);
    }

    @Test
    void trafficFiguresAreExposedWithLabels() {
        TrafficMetrics web = metrics.listener("web");
        web.connectionOpened();
        web.request();
        web.response(200);
        web.response(503);
        web.bytesIn(10);
        web.bytesOut(20);
        TrafficMetrics b1 = metrics.backend("app", "127.0.0.1:9001");
        b1.request();
        b1.request();
        b1.response(204);
        b1.retry();
        b1.firstByteLatency(2_000_000);
        String text = scrape();
        assertTrue(text.contains("lb_listener_requests_total{listener=\"web\"} 1.0"), text);
        assertTrue(text.contains("lb_listener_responses_total{class=\"2xx\",listener=\"web\"} 1.0"), text);
        assertTrue(text.contains("lb_listener_responses_total{class=\"5xx\",listener=\"web\"} 1.0"), text);
        assertTrue(text.contains("lb_listener_bytes_in_total{listener=\"web\"} 10.0"), text);
        assertTrue(text.contains("lb_listener_connections_active{listener=\"web\"} 1.0"), text);
        // A dot in a backend's name cannot be a segment separator: it is written as _.
        assertTrue(text.contains("lb_backend_requests_total{backend=\"127_0_0_1:9001\",pool=\"app\"} 2.0"), text);
        assertTrue(text.contains("lb_backend_retries_total{backend=\"127_0_0_1:9001\",pool=\"app\"} 1.0"), text);
        assertTrue(text.contains("lb_backend_latency_first_byte_count{backend=\"127_0_0_1:9001\",pool=\"app\"} 1"),
                text);
        assertTrue(text.contains("# TYPE jvm_memory_heap_used gauge"), text);
    }

    @Test
    void poolGaugesFollowBackendStateAndPicksCountPerAlgorithm() {
        List<BackendState> both = TestBackends.named("a", "b");
        BackendState a = both.get(0);
        Pool pool = new Pool("app", both, new TestBackends.RoundRobin());
        metrics.bindPool(pool, "round-robin");
        metrics.pick("app");
        metrics.pick("app");
        metrics.backend("app", "b").request();
        pool.drain("b");
        String text = scrape();
        assertTrue(text.contains("lb_pool_picks_total{algorithm=\"round-robin\",pool=\"app\"} 2.0"), text);
        assertTrue(text.contains("lb_backend_draining{backend=\"b\",pool=\"app\"} 1.0"), text);
        assertTrue(text.contains("lb_backend_healthy{backend=\"a\",pool=\"app\"} 1.0"), text);
        assertTrue(text.contains("lb_pool_eligible{pool=\"app\"} 1.0"), text);

        pool.reconfigure(List.of(a), pool.algorithm());
        metrics.bindPool(pool, "round-robin");
        text = scrape();
        assertFalse(text.contains("backend=\"b\""), "the removed backend's metrics are gone:\n" + text);
        assertEquals(0, metrics.backend("app", "b").requests(), "a returning backend starts afresh");

        metrics.unbindPool("app");
        assertFalse(scrape().contains("pool=\"app\""));
    }

    @Test
    void notifierFiguresAreRead() {
        metrics.bindNotifiers(() -> List.of(new NotifierStats("webhook", 5, 1, 2, 0)));
        String text = scrape();
        assertTrue(text.contains("lb_notifier_delivered{notifier=\"webhook\"} 5.0"), text);
        assertTrue(text.contains("lb_notifier_dropped{notifier=\"webhook\"} 2.0"), text);
    }

    @Test
    void anAlgorithmsOwnFiguresArePublishedAndFollowItsReplacement() {
        AtomicLong fallbacks = new AtomicLong(3);
        Algorithm scripted = new Algorithm() {
            @Override
            public Picker newPicker(PoolSnapshot snapshot) {
                return context -> snapshot.eligible().get(0);
            }

            @Override
            public Map<String, LongSupplier> figures() {
                return Map.of("fallbacks", fallbacks::get, "reloads", () -> 1);
            }
        };
        Pool pool = new Pool("app", TestBackends.named("a"), scripted);
        metrics.bindPool(pool, "script");
        String text = scrape();
        assertTrue(text.contains("lb_pool_algorithm_figure{figure=\"fallbacks\",pool=\"app\"} 3.0"), text);
        assertTrue(text.contains("lb_pool_algorithm_figure{figure=\"reloads\",pool=\"app\"} 1.0"), text);
        fallbacks.set(5);
        assertTrue(scrape().contains("lb_pool_algorithm_figure{figure=\"fallbacks\",pool=\"app\"} 5.0"));

        pool.reconfigure(pool.backends(), new TestBackends.RoundRobin());
        metrics.bindPool(pool, "round-robin");
        String after = scrape();
        assertFalse(after.contains("lb_pool_algorithm_figure"), "the replaced algorithm's figures are gone");
        assertTrue(after.contains("lb_pool_picks_total{algorithm=\"round-robin\",pool=\"app\"}"), after);
        assertFalse(after.contains("algorithm=\"script\""), "the replaced algorithm's picks are gone: " + after);
    }

    @Test
    void jmxPublishesTheRegistryInTheBackground() throws Exception {
        metrics.listener("jmx-web").request();
        metrics.startJmx();
        try {
            var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            metrics.awaitJmxStarter();
            var names = server.queryNames(new javax.management.ObjectName("lb:*"), null);
            assertTrue(names.stream().anyMatch(n -> n.toString().contains("lb.listener.jmx-web.requests")),
                    names.toString());
        } finally {
            metrics.close();
        }
    }

    @Test
    void closingBeforeTheBackgroundPublicationLeavesNoMBeans() throws Exception {
        LbMetrics early = new LbMetrics();
        early.listener("jmx-early").request();
        early.startJmx();
        early.close();
        var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var pattern = new javax.management.ObjectName("lb:name=lb.listener.jmx-early.*");
        early.awaitJmxStarter();
        assertTrue(server.queryNames(pattern, null).isEmpty(), "nothing published after close");
    }
}

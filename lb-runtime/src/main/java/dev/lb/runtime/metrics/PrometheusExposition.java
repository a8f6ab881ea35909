package dev.lb.runtime.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text exposition of a {@link MetricRegistry}, through the Prometheus Java client's maintained
 * Dropwizard bridge ({@code DropwizardExports}, see {@link LabelledDropwizardCollector}). Its label mapper turns the name segments that carry a listener,
 * pool, backend, algorithm, notifier or status class into labels, so {@code lb.backend.app.b1.requests} is exposed
 * as {@code lb_backend_requests_total{pool="app",backend="b1"}}.
 */
public final class PrometheusExposition {

    /** The content type of the exposition, {@code text/plain; version=0.0.4; charset=utf-8}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final List<String> TRAFFIC = List.of("connections", "connections_active", "requests", "bytes_in",
            "bytes_out", "latency_connect", "latency_first_byte", "latency_complete", "retries", "connect_failures");
    private static final List<String> BACKEND_GAUGES = List.of("healthy", "ejected", "draining", "weight", "active",
            "in_flight", "ejections");
    private static final List<String> NOTIFIER = List.of("delivered", "failed", "dropped", "queued");

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** An exposition of {@code registry}. */
    public PrometheusExposition(MetricRegistry registry) {
        prometheus.register(new LabelledDropwizardCollector(registry, labelMapper()));
    }

    private static CustomLabelMapper labelMapper() {
        List<MapperConfig> rules = new ArrayList<>();
        for (String metric : TRAFFIC) {
            rules.add(new MapperConfig("lb.listener.*." + metric, "lb_listener_" + metric,
                    Map.of("listener", "${0}")));
            rules.add(new MapperConfig("lb.backend.*.*." + metric, "lb_backend_" + metric,
                    Map.of("pool", "${0}", "backend", "${1}")));
        }
        // The bridge names a Dropwizard Meter "<name>_total" before mapping it.
        for (String meter : List.of("connections", "requests")) {
            rules.add(new MapperConfig("lb.listener.*." + meter + "_total", "lb_listener_" + meter,
                    Map.of("listener", "${0}")));
            rules.add(new MapperConfig("lb.backend.*.*." + meter + "_total", "lb_backend_" + meter,
                    Map.of("pool", "${0}", "backend", "${1}")));
        }
        rules.add(new MapperConfig("lb.listener.*.responses.*", "lb_listener_responses",
                Map.of("listener", "${0}", "class", "${1}")));
        rules.add(new MapperConfig("lb.backend.*.*.responses.*", "lb_backend_responses",
                Map.of("pool", "${0}", "backend", "${1}", "class", "${2}")));
        for (String gauge : BACKEND_GAUGES) {
            rules.add(new MapperConfig("lb.backend.*.*." + gauge, "lb_backend_" + gauge,
                    Map.of("pool", "${0}", "backend", "${1}")));
        }
        rules.add(new MapperConfig("lb.pool.*.*.picks", "lb_pool_picks",
                Map.of("pool", "${0}", "algorithm", "${1}")));
        rules.add(new MapperConfig("lb.pool.*.algorithm.*", "lb_pool_algorithm_figure",
                Map.of("pool", "${0}", "figure", "${1}")));
        rules.add(new MapperConfig("lb.pool.*.eligible", "lb_pool_eligible", Map.of("pool", "${0}")));
        for (String metric : NOTIFIER) {
            rules.add(new MapperConfig("lb.notifier.*." + metric, "lb_notifier_" + metric,
                    Map.of("notifier", "${0}")));
        }
        return new CustomLabelMapper(rules);
    }

    /** Every metric now, as Prometheus text. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, prometheus.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}

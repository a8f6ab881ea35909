package dev.lb.runtime.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the Prometheus client's Dropwizard bridge ({@link DropwizardExports} with a {@link CustomLabelMapper}) once per
 * entity (a listener, a backend, a pool, a notifier, the JVM) and merges what several entities export under one name
 * into one metric family with one data point per entity.
 *
 * <p>Why: in client_java 1.4 the bridge builds one metric family per Dropwizard metric, so two backends' counters
 * mapped to one labelled name fail with "duplicate metric name" (prometheus/client_java#1712). Within one entity
 * every mapped name is unique, so the bridge does all the conversion and this class only regroups its output.
 */
final class LabelledDropwizardCollector implements MultiCollector {

    private final MetricRegistry registry;
    private final CustomLabelMapper mapper;
    private final Map<String, DropwizardExports> byEntity = new ConcurrentHashMap<>();

    LabelledDropwizardCollector(MetricRegistry registry, CustomLabelMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    /**
     * The entity a metric belongs to: the name up to its listener, backend, pool or notifier segment (and its status
     * class, for responses, or its figure, for an algorithm's figures).
     */
    static String entityOf(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length >= 3 && parts[0].equals("lb")) {
            int keep = parts[1].equals("backend") ? 4 : 3;
            if (parts.length > keep && (parts[keep].equals("responses") || parts[keep].equals("algorithm"))) {
                keep += 2; // status classes, and an algorithm's figures, map to one name: each is an entity of its own
            }
            if (parts.length >= keep) {
                return String.join(".", java.util.Arrays.copyOf(parts, keep));
            }
        }
        return "";
    }

    @Override
    public MetricSnapshots collect() {
        Set<String> entities = new TreeSet<>();
        registry.getNames().forEach(name -> entities.add(entityOf(name)));
        byEntity.keySet().retainAll(entities);
        Map<String, List<MetricSnapshot>> byName = new LinkedHashMap<>();
        for (String entity : entities) {
            DropwizardExports exports = byEntity.computeIfAbsent(entity, e -> new DropwizardExports(registry,
                    (name, metric) -> entityOf(name).equals(e), mapper));
            for (MetricSnapshot snapshot : exports.collect()) {
                byName.computeIfAbsent(snapshot.getMetadata().getPrometheusName(), n -> new ArrayList<>())
                        .add(snapshot);
            }
        }
        List<MetricSnapshot> merged = new ArrayList<>(byName.size());
        byName.values().forEach(group -> merged.add(merge(group)));
        return new MetricSnapshots(merged);
    }

    private static MetricSnapshot merge(List<MetricSnapshot> group) {
        MetricSnapshot first = group.get(0);
        String name = first.getMetadata().getName();
        if (group.size() == 1 && !name.startsWith("lb_")) {
            return first;
        }
        // The bridge's help names one Dropwizard metric; a family spans several, so it gets a help of its own.
        MetricMetadata metadata = new MetricMetadata(name, "lb " + name.substring(name.indexOf('_') + 1)
                .replace('_', ' ') + " (from Dropwizard metrics lb.*)");
        if (first instanceof CounterSnapshot) {
            List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>();
            group.forEach(s -> points.addAll(((CounterSnapshot) s).getDataPoints()));
            return new CounterSnapshot(metadata, points);
        }
        if (first instanceof GaugeSnapshot) {
            List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
            group.forEach(s -> points.addAll(((GaugeSnapshot) s).getDataPoints()));
            return new GaugeSnapshot(metadata, points);
        }
        if (first instanceof SummarySnapshot) {
            List<SummarySnapshot.SummaryDataPointSnapshot> points = new ArrayList<>();
            group.forEach(s -> points.addAll(((SummarySnapshot) s).getDataPoints()));
            return new SummarySnapshot(metadata, points);
        }
        throw new IllegalStateException("cannot merge metric families of type " + first.getClass().getSimpleName()
                + " named " + first.getMetadata().getPrometheusName());
    }
}

package dev.lb.runtime.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import dev.lb.runtime.notify.NotifierStats;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The metrics of one server, on one Dropwizard {@link MetricRegistry}: what listeners and backends carry
 * ({@link TrafficMetrics}), each backend's state as gauges (health, drain, weight, ejections, active connections),
 * picks per pool and algorithm, the algorithm's own figures (a script's fallbacks), notifier deliveries and drops, and the JVM's memory, GC and
 * threads. Published over JMX (domain {@code lb}) from {@link #startJmx()}, and in Prometheus text format by
 * {@link PrometheusExposition}.
 *
 * <p>Metric objects are made once and cached: the data plane holds its {@link TrafficMetrics} and only does atomic
 * updates.
 */
public final class LbMetrics implements AutoCloseable {

    private final MetricRegistry registry;
    private final Map<String, TrafficMetrics> listeners = new ConcurrentHashMap<>();
    /** By pool, then backend name: looked up per request, so without building a key. */
    private final Map<String, Map<String, TrafficMetrics>> backends = new ConcurrentHashMap<>();
    private final Map<String, Counter> picks = new ConcurrentHashMap<>();
    private JmxReporter jmx;
    private Thread jmxStarter;
    private boolean closed;

    /** Metrics on a new registry, with the JVM's figures under {@code jvm.}. */
    public LbMetrics() {
        this(new MetricRegistry());
    }

    /** Metrics on {@code registry}, with the JVM's figures under {@code jvm.}. */
    public LbMetrics(MetricRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        registry.register("jvm.memory", new MemoryUsageGaugeSet());
        registry.register("jvm.gc", new GarbageCollectorMetricSet());
        registry.register("jvm.threads", new ThreadStatesGaugeSet());
    }

    /** The registry, for reporters. */
    public MetricRegistry registry() {
        return registry;
    }

    /** The figures of listener {@code name} (made on first use). */
    public TrafficMetrics listener(String name) {
        return listeners.computeIfAbsent(name, n -> new TrafficMetrics(registry, m -> MetricNames.listener(n, m)));
    }

    /** The traffic figures of backend {@code backend} of pool {@code pool} (made on first use). */
    public TrafficMetrics backend(String pool, String backend) {
        Map<String, TrafficMetrics> ofPool = backends.get(pool);
        TrafficMetrics figures = ofPool == null ? null : ofPool.get(backend);
        if (figures != null) {
            return figures;
        }
        return backends.computeIfAbsent(pool, p -> new ConcurrentHashMap<>()).computeIfAbsent(backend,
                b -> new TrafficMetrics(registry, m -> MetricNames.backend(pool, backend, m)));
    }

    /** Counts one pick in {@code pool}, by the algorithm it was bound with ({@link #bindPool}). */
    public void pick(String pool) {
        Counter counter = picks.get(pool);
        (counter != null ? counter : picks.computeIfAbsent(pool, p -> picks(p, "unknown"))).inc();
    }

    /** The counter of picks made by {@code algorithm} in {@code pool}. */
    public Counter picks(String pool, String algorithm) {
        return registry.counter(MetricNames.pool(pool, MetricNames.segment(algorithm) + ".picks"));
    }

    /**
     * Registers gauges for each backend of {@code pool} (its current members): healthy, draining, weight, active
     * connections, in-flight requests, ejections; and the pool's count of eligible backends; picks are counted under
     * {@code algorithm}. The metrics of backends that left the pool are removed. Call again after the pool is
     * reconfigured.
     */
    public synchronized void bindPool(Pool pool, String algorithm) {
        // A reload may change the algorithm: its predecessor's picks would clash with the new ones in the scrape.
        String picksName = MetricNames.pool(pool.name(), MetricNames.segment(algorithm) + ".picks");
        String poolPrefix = MetricNames.pool(pool.name(), "");
        registry.removeMatching((name, metric) -> name.startsWith(poolPrefix) && name.endsWith(".picks")
                && !name.equals(picksName));
        picks.put(pool.name(), picks(pool.name(), algorithm));
        String prefix = "lb.backend." + MetricNames.segment(pool.name()) + ".";
        List<String> current = pool.backends().stream().map(b -> prefix + MetricNames.segment(b.name()) + ".")
                .toList();
        // A backend that left the pool loses its metrics (connections still draining to it update orphans);
        // if it comes back it starts afresh.
        registry.removeMatching((name, metric) -> name.startsWith(prefix)
                && current.stream().noneMatch(name::startsWith));
        Map<String, TrafficMetrics> ofPool = backends.get(pool.name());
        if (ofPool != null) {
            Set<String> members = pool.backends().stream().map(BackendState::name).collect(Collectors.toSet());
            ofPool.keySet().retainAll(members);
        }
        for (BackendState backend : pool.backends()) {
            gauge(MetricNames.backend(pool.name(), backend.name(), "healthy"), () -> backend.isHealthy() ? 1 : 0);
            gauge(MetricNames.backend(pool.name(), backend.name(), "ejected"), () -> backend.isEjected() ? 1 : 0);
            gauge(MetricNames.backend(pool.name(), backend.name(), "draining"), () -> backend.isDraining() ? 1 : 0);
            gauge(MetricNames.backend(pool.name(), backend.name(), "weight"), backend::weight);
            gauge(MetricNames.backend(pool.name(), backend.name(), "active"), backend::activeConnections);
            gauge(MetricNames.backend(pool.name(), backend.name(), "in_flight"), backend::inFlightRequests);
            gauge(MetricNames.backend(pool.name(), backend.name(), "ejections"), backend::ejections);
        }
        gauge(MetricNames.pool(pool.name(), "eligible"), () -> pool.snapshot().eligible().size());
        // The algorithm's own figures (a script's fallbacks...): those of a replaced algorithm go with it.
        String figures = MetricNames.pool(pool.name(), "algorithm.");
        registry.removeMatching((name, metric) -> name.startsWith(figures));
        pool.algorithm().figures().forEach((figure, supplier) ->
                gauge(figures + MetricNames.segment(figure), supplier::getAsLong));
    }

    /** Removes every metric of {@code pool} and its backends (the pool is gone). */
    public synchronized void unbindPool(String pool) {
        String backendPrefix = "lb.backend." + MetricNames.segment(pool) + ".";
        String poolPrefix = "lb.pool." + MetricNames.segment(pool) + ".";
        registry.removeMatching((name, metric) -> name.startsWith(backendPrefix) || name.startsWith(poolPrefix));
        backends.remove(pool);
        picks.remove(pool);
    }

    /** Removes every metric of listener {@code name} (the listener is gone). */
    public synchronized void unbindListener(String name) {
        String prefix = "lb.listener." + MetricNames.segment(name) + ".";
        registry.removeMatching((n, metric) -> n.startsWith(prefix));
        listeners.remove(name);
    }

    /** Registers gauges of each notifier's deliveries, failures, drops and queue, read from {@code stats}. */
    public void bindNotifiers(Supplier<List<NotifierStats>> stats) {
        for (NotifierStats notifier : stats.get()) {
            String prefix = "lb.notifier." + MetricNames.segment(notifier.name()) + ".";
            gauge(prefix + "delivered", () -> find(stats, notifier.name()).delivered());
            gauge(prefix + "failed", () -> find(stats, notifier.name()).failed());
            gauge(prefix + "dropped", () -> find(stats, notifier.name()).dropped());
            gauge(prefix + "queued", () -> find(stats, notifier.name()).queued());
        }
    }

    private static NotifierStats find(Supplier<List<NotifierStats>> stats, String name) {
        return stats.get().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElse(new NotifierStats(name, 0, 0, 0, 0));
    }

    private void gauge(String name, Gauge<? extends Number> gauge) {
        registry.remove(name);
        registry.register(name, gauge);
    }

    /**
     * Publishes every metric as JMX MBeans in domain {@code lb}, on a background thread: the platform MBean server
     * costs a few hundred milliseconds to create, which a restart should not wait for before serving. Stopped by
     * {@link #close()}, also when that comes first.
     */
    public synchronized void startJmx() {
        if (jmxStarter == null && !closed) {
            jmxStarter = Thread.ofPlatform().daemon().name("lb-jmx-start").start(this::publishJmx);
        }
    }

    /** Waits for the background publication started by {@link #startJmx()}, if any, to finish. */
    void awaitJmxStarter() throws InterruptedException {
        Thread starter;
        synchronized (this) {
            starter = jmxStarter;
        }
        if (starter != null) {
            starter.join();
        }
    }

    private void publishJmx() {
        JmxReporter reporter = JmxReporter.forRegistry(registry).inDomain("lb").build();
        synchronized (this) {
            if (closed) {
                return;
            }
            jmx = reporter;
            reporter.start();
        }
    }

    /** Stops JMX publication. */
    @Override
    public synchronized void close() {
        closed = true;
        if (jmx != null) {
            jmx.close();
            jmx = null;
        }
    }
}

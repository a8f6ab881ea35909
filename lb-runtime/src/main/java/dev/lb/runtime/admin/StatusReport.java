package dev.lb.runtime.admin;

import com.codahale.metrics.Snapshot;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.metrics.TrafficMetrics;
import dev.lb.runtime.notify.NotifierStats;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.reload.ConfigDiff;
import dev.lb.runtime.reload.ReloadResult;
import dev.lb.runtime.reload.ReloadService;
import dev.lb.runtime.server.LoadBalancer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The body of {@code GET /status}: every listener, pool and backend with its state and figures, as JSON maps. */
final class StatusReport {

    private final LoadBalancer lb;
    private final ReloadService reloads;

    StatusReport(LoadBalancer lb, ReloadService reloads) {
        this.lb = lb;
        this.reloads = reloads;
    }

    Map<String, Object> build() {
        LbConfig config = lb.config();
        LbMetrics metrics = lb.metrics();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        root.put("source", config.source() == null ? null : config.source().toString());
        List<Map<String, Object>> listeners = new ArrayList<>();
        for (LoadBalancer.ListenerStatus listener : lb.listenerStatus()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", listener.config().name());
            item.put("protocol", listener.config().protocol().name().toLowerCase(Locale.ROOT));
            item.put("bind", address(listener.boundAddress()));
            item.put("pool", listener.config().pool());
            item.put("openConnections", listener.openConnections());
            traffic(item, metrics.listener(listener.config().name()));
            listeners.add(item);
        }
        root.put("listeners", listeners);
        List<Map<String, Object>> pools = new ArrayList<>();
        for (Pool pool : lb.pools()) {
            PoolConfig poolConfig = config.pools().get(pool.name());
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", pool.name());
            item.put("algorithm", poolConfig == null ? null : poolConfig.algorithm().type());
            item.put("eligible", pool.snapshot().eligible().size());
            item.put("size", pool.backends().size());
            item.put("healthChecked", poolConfig != null && poolConfig.health() != null);
            item.put("outlierDetection", poolConfig != null && poolConfig.outlierDetection() != null);
            List<Map<String, Object>> backends = new ArrayList<>();
            for (BackendState backend : pool.backends()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("name", backend.name());
                b.put("address", address(backend.address()));
                b.put("state", backend.stateName());
                b.put("healthy", backend.isHealthy());
                b.put("ejected", backend.isEjected());
                b.put("draining", backend.isDraining());
                b.put("weight", backend.weight());
                b.put("activeConnections", backend.activeConnections());
                b.put("inFlight", backend.inFlightRequests());
                b.put("latencyEwmaMs", backend.latencyEwmaNanos() / 1e6);
                b.put("ejections", backend.ejections());
                TrafficMetrics figures = metrics.backend(pool.name(), backend.name());
                traffic(b, figures);
                b.put("connectFailures", figures.connectFailures());
                backends.add(b);
            }
            item.put("backends", backends);
            pools.add(item);
        }
        root.put("pools", pools);
        List<Map<String, Object>> notifiers = new ArrayList<>();
        for (NotifierStats notifier : lb.notifierStats()) {
            notifiers.add(Map.of("name", notifier.name(), "delivered", notifier.delivered(), "failed",
                    notifier.failed(), "dropped", notifier.dropped(), "queued", notifier.queued()));
        }
        root.put("notifiers", notifiers);
        if (reloads != null) {
            Map<String, Object> reload = new LinkedHashMap<>();
            reload.put("applied", reloads.appliedCount());
            reload.put("refused", reloads.refusedCount());
            reload.put("last", reloads.last() == null ? null : reloadJson(reloads.last()));
            root.put("reload", reload);
        }
        return root;
    }

    private static void traffic(Map<String, Object> item, TrafficMetrics figures) {
        item.put("connections", figures.connections());
        item.put("requests", figures.requests());
        item.put("responses", Map.of("1xx", figures.responses(1), "2xx", figures.responses(2), "3xx",
                figures.responses(3), "4xx", figures.responses(4), "5xx", figures.responses(5)));
        item.put("bytesIn", figures.bytesIn());
        item.put("bytesOut", figures.bytesOut());
        item.put("retries", figures.retries());
        Snapshot total = figures.totalLatency().getSnapshot();
        Snapshot connect = figures.connectLatency().getSnapshot();
        Snapshot firstByte = figures.firstByteLatency().getSnapshot();
        item.put("latencyMs", Map.of(
                "connectP50", connect.getMedian() / 1e6,
                "firstByteP50", firstByte.getMedian() / 1e6,
                "firstByteP99", firstByte.get99thPercentile() / 1e6,
                "totalP50", total.getMedian() / 1e6,
                "totalP99", total.get99thPercentile() / 1e6));
    }

    static Map<String, Object> reloadJson(ReloadResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("trigger", result.trigger());
        body.put("applied", result.applied());
        if (!result.problems().isEmpty()) {
            body.put("problems", result.problems());
        }
        if (result.error() != null) {
            body.put("error", result.error());
        }
        ConfigDiff diff = result.diff();
        if (diff != null) {
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("listenersAdded", diff.listenersAdded());
            changes.put("listenersRemoved", diff.listenersRemoved());
            changes.put("listenersChanged", diff.listenersChanged());
            changes.put("listenersUnchanged", diff.listenersUnchanged());
            changes.put("poolsAdded", diff.poolsAdded());
            changes.put("poolsRemoved", diff.poolsRemoved());
            changes.put("poolsChanged", diff.poolsChanged());
            changes.put("poolsUnchanged", diff.poolsUnchanged());
            changes.put("restartRequired", diff.restartRequired());
            body.put("changes", changes);
        }
        return body;
    }

    private static String address(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}

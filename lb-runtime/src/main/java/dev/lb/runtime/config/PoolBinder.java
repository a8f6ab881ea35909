package dev.lb.runtime.config;

import dev.lb.spi.PluginKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code pools}: each pool's algorithm, backends and health checking. */
final class PoolBinder extends BinderSupport {

    PoolBinder(BinderSupport shared) {
        super(shared);
    }

    Map<String, PoolConfig> readPools(ConfigMap root, Optional<ConfigNode> node) {
        if (node.isEmpty() || isNull(node.get())) {
            problems.add(new ConfigProblem(root.location(), "", "missing required key \"pools\" (at least one pool,"
                    + " e.g. pools: { app: { backends: [127.0.0.1:9001] } })"));
            return null;
        }
        ConfigMap m = asMap(node.get(), "pools by name, e.g. pools: { app: { backends: [127.0.0.1:9001] } }");
        if (m == null) {
            return null;
        }
        if (m.keys().isEmpty()) {
            problem(m, "at least one pool is required, e.g. pools: { app: { backends: [127.0.0.1:9001] } }");
        }
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        for (String name : m.keys()) {
            ConfigMap pool = asMap(m.node(name).orElseThrow(), "a pool: a map with backends, and optionally "
                    + "algorithm and health");
            if (pool != null) {
                pools.put(name, readPool(name, pool));
            }
        }
        return pools;
    }

    PoolConfig readPool(String name, ConfigMap m) {
        PluginSpec algorithm = pluginSpec(PluginKind.ALGORITHM, m, "algorithm", DEFAULT_ALGORITHM);
        List<BackendConfig> backends = readBackends(m);
        HealthConfig health = safely(() -> m.map("health"), Optional.<ConfigMap>empty())
                .map(this::readHealth).orElse(null);
        OutlierConfig outliers = safely(() -> m.map("outlier-detection"), Optional.<ConfigMap>empty())
                .map(this::readOutlierDetection).orElse(null);
        problems.addAll(m.unknownKeys());
        return new PoolConfig(name, algorithm, backends, health, outliers);
    }

    List<BackendConfig> readBackends(ConfigMap pool) {
        ConfigList list = requiredList(pool, "backends", pool.node("backends"),
                "at least one backend, e.g. backends: [127.0.0.1:9001]");
        List<BackendConfig> backends = new ArrayList<>();
        if (list == null) {
            return backends;
        }
        Map<String, ConfigNode> names = new HashMap<>();
        for (ConfigNode item : list.items()) {
            BackendConfig backend;
            ConfigNode nameNode;
            if (item instanceof ConfigMap m) {
                backend = readBackend(m);
                nameNode = m.peek("name").or(() -> m.peek("address")).orElse(m);
            } else {
                InetSocketAddress address = address(item, 1);
                backend = new BackendConfig(item instanceof ConfigScalar s ? s.text() : null, address, 1, Map.of());
                nameNode = item;
            }
            if (backend.name() != null) {
                ConfigNode first = names.putIfAbsent(backend.name(), nameNode);
                if (first != null) {
                    problem(nameNode, "duplicate backend name \"" + backend.name() + "\"" + firstAt(first)
                            + ": names must be unique within a pool (a backend without a name is named by its"
                            + " address)");
                }
            }
            backends.add(backend);
        }
        return backends;
    }

    BackendConfig readBackend(ConfigMap m) {
        InetSocketAddress address = requiredAddress(m, "address", 1, "where the backend listens, e.g. "
                + "address: 127.0.0.1:9001");
        String defaultName = m.peek("address").filter(ConfigScalar.class::isInstance)
                .map(n -> ((ConfigScalar) n).text()).orElse(null);
        String name = safely(() -> m.string("name", defaultName), defaultName);
        if (name != null && name.isEmpty()) {
            problem(m.peek("name").orElseThrow(), "must not be empty: leave name out to use the address");
        }
        int weight = integer(m, "weight", 1, 1, MAX_WEIGHT);
        Map<String, String> labels = new LinkedHashMap<>();
        safely(() -> m.map("labels"), Optional.<ConfigMap>empty()).ifPresent(block -> {
            for (String key : block.keys()) {
                safely(() -> block.string(key), Optional.<String>empty()).ifPresent(v -> labels.put(key, v));
            }
        });
        boolean drain = safely(() -> m.bool("drain", false), false);
        problems.addAll(m.unknownKeys());
        return new BackendConfig(name, address, weight, labels, drain);
    }

    HealthConfig readHealth(ConfigMap m) {
        PluginSpec probe = pluginSpec(PluginKind.HEALTH_PROBE, m, "probe", DEFAULT_PROBE);
        Duration interval = positiveDuration(m, "interval", DEFAULT_INTERVAL);
        Duration timeout = positiveDuration(m, "timeout", DEFAULT_PROBE_TIMEOUT);
        int rise = integer(m, "rise", DEFAULT_RISE, 1, 100);
        int fall = integer(m, "fall", DEFAULT_FALL, 1, 100);
        if (timeout.compareTo(interval) > 0) {
            if (m.peek("timeout").isPresent()) {
                problem(m.peek("timeout").get(), "must not exceed the interval (" + Durations.format(interval)
                        + "), was " + Durations.format(timeout));
            } else {
                problem(m.peek("interval").orElse(m), "must be at least the timeout (" + Durations.format(timeout)
                        + "), was " + Durations.format(interval) + ": raise the interval or lower the timeout");
            }
        }
        return new HealthConfig(probe, interval, timeout, rise, fall);
    }

    OutlierConfig readOutlierDetection(ConfigMap m) {
        OutlierConfig defaults = OutlierConfig.defaults();
        int failures = integer(m, "consecutive-failures", defaults.consecutiveFailures(), 0, 1000);
        int fiveXx = integer(m, "consecutive-5xx", defaults.consecutive5xx(), 0, 1000);
        Duration base = positiveDuration(m, "base-ejection-time", defaults.baseEjectionTime());
        Duration max = positiveDuration(m, "max-ejection-time", defaults.maxEjectionTime());
        int percent = integer(m, "max-ejected-percent", defaults.maxEjectedPercent(), 0, 100);
        if (max.compareTo(base) < 0) {
            if (m.peek("max-ejection-time").isPresent()) {
                problem(m.peek("max-ejection-time").get(), "must be at least base-ejection-time ("
                        + Durations.format(base) + "), was " + Durations.format(max));
            } else {
                problem(m.peek("base-ejection-time").orElse(m), "must not exceed max-ejection-time ("
                        + Durations.format(max) + "), was " + Durations.format(base)
                        + ": lower it or raise max-ejection-time");
            }
        }
        if (failures == 0 && fiveXx == 0 && m.peek("consecutive-failures").isPresent()) {
            problem(m.peek("consecutive-failures").get(), "consecutive-failures and consecutive-5xx are both 0, so"
                    + " nothing would ever be ejected: set one above 0, or remove outlier-detection");
        }
        return new OutlierConfig(failures, fiveXx, base, max, percent);
    }
}

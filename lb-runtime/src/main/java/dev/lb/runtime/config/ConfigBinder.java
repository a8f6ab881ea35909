package dev.lb.runtime.config;

import dev.lb.spi.EventType;
import dev.lb.spi.PluginKind;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a configuration tree into an {@link LbConfig}, checking every rule and every reference, collecting all the
 * problems instead of stopping at the first. One use per tree.
 */
final class ConfigBinder {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final int DEFAULT_CONNECT_ATTEMPTS = 3;
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    static final String DEFAULT_ALGORITHM = "round-robin";
    static final String DEFAULT_PROBE = "tcp";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(1);
    static final int DEFAULT_RISE = 2;
    static final int DEFAULT_FALL = 3;
    static final int DEFAULT_QUEUE_SIZE = 1000;
    static final int DEFAULT_ATTEMPTS = 3;
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_WEIGHT = 10_000;

    /** The keys of a notifier's block that the runtime reads; the rest are the notifier's own. */
    private static final List<String> NOTIFIER_RUNTIME_KEYS = List.of("type", "events", "queue-size", "attempts");

    private final Addresses addresses;
    private final PluginInstantiator plugins;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<PluginSpec> specs = new ArrayList<>();

    ConfigBinder(HostResolver resolver, PluginInstantiator plugins) {
        this.addresses = new Addresses(resolver);
        this.plugins = plugins;
    }

    LbConfig bind(ConfigMap root, Path source, Path baseDir) throws ConfigException {
        // Asked for in this order so that "known:" lists them in the order of the reference.
        Optional<ConfigNode> listenersNode = root.node("listeners");
        Optional<ConfigNode> poolsNode = root.node("pools");
        Optional<ConfigNode> notifiersNode = root.node("notifiers");
        Map<String, PoolConfig> pools = readPools(root, poolsNode);
        List<ListenerConfig> listeners = readListeners(root, listenersNode, pools);
        List<NotifierConfig> notifiers = readNotifiers(notifiersNode);
        Path pluginsDir = readPluginsDir(root, baseDir);
        Duration drainTimeout = readDrainTimeout(root);
        problems.addAll(root.unknownKeys());
        for (PluginSpec spec : specs) {
            problems.addAll(plugins.check(spec));
        }
        if (!problems.isEmpty()) {
            throw ConfigProblems.exception(problems);
        }
        return new LbConfig(source, listeners, pools, notifiers, pluginsDir, drainTimeout);
    }

    // ---- listeners

    private List<ListenerConfig> readListeners(ConfigMap root, Optional<ConfigNode> node,
                                               Map<String, PoolConfig> pools) {
        ConfigList list = requiredList(root, "listeners", node,
                "at least one listener, e.g. listeners: [{ name: web, bind: 127.0.0.1:8080, pool: app }]");
        List<ListenerConfig> listeners = new ArrayList<>();
        if (list == null) {
            return listeners;
        }
        Map<String, ConfigNode> names = new HashMap<>();
        List<Map.Entry<ListenerConfig, ConfigNode>> bindNodes = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            ConfigMap m = asMap(item, "a listener: a map with name, protocol, bind and pool");
            if (m == null) {
                continue;
            }
            String name = requiredString(m, "name", "a name unique among listeners, e.g. name: web");
            if (name != null) {
                ConfigNode first = names.putIfAbsent(name, m.peek("name").orElseThrow());
                if (first != null) {
                    problem(m.peek("name").orElseThrow(), "duplicate listener name \"" + name + "\""
                            + firstAt(first) + ": listener names must be unique");
                }
            }
            Protocol protocol = readProtocol(m);
            InetSocketAddress bind = requiredAddress(m, "bind", 0,
                    "the address to accept clients on, e.g. bind: 127.0.0.1:8080");
            String pool = requiredString(m, "pool", "the name of a pool under pools");
            if (pool != null && pools != null && !pools.containsKey(pool)) {
                problem(m.peek("pool").orElseThrow(), Suggestions.unknown("pool", pool, pools.keySet()));
            }
            Duration connectTimeout = positiveDuration(m, "connect-timeout", DEFAULT_CONNECT_TIMEOUT);
            int connectAttempts = integer(m, "connect-attempts", DEFAULT_CONNECT_ATTEMPTS, 1, 10);
            Duration idleTimeout = positiveDuration(m, "idle-timeout", DEFAULT_IDLE_TIMEOUT);
            problems.addAll(m.unknownKeys());
            ListenerConfig listener = new ListenerConfig(name, protocol, bind, pool, connectTimeout, connectAttempts,
                    idleTimeout);
            listeners.add(listener);
            if (bind != null) {
                bindNodes.add(Map.entry(listener, m.peek("bind").orElseThrow()));
            }
        }
        checkBindConflicts(bindNodes);
        return listeners;
    }

    private Protocol readProtocol(ConfigMap m) {
        String text = safely(() -> m.string("protocol", "tcp"), "tcp");
        return switch (text) {
            case "tcp" -> Protocol.TCP;
            case "http" -> Protocol.HTTP;
            default -> {
                problem(m.peek("protocol").orElseThrow(), Suggestions.unknown("protocol", text, List.of("tcp", "http")));
                yield Protocol.TCP;
            }
        };
    }

    /** Two listeners cannot bind one port on one address, nor on a wildcard address and any other. */
    private void checkBindConflicts(List<Map.Entry<ListenerConfig, ConfigNode>> bindNodes) {
        List<Map.Entry<ListenerConfig, ConfigNode>> seen = new ArrayList<>();
        for (Map.Entry<ListenerConfig, ConfigNode> current : bindNodes) {
            InetSocketAddress bind = current.getKey().bind();
            if (bind.getPort() == 0) {
                continue; // each ephemeral bind gets its own port
            }
            Optional<Map.Entry<ListenerConfig, ConfigNode>> clash = seen.stream().filter(other -> {
                InetSocketAddress taken = other.getKey().bind();
                return taken.getPort() == bind.getPort() && (taken.getAddress().equals(bind.getAddress())
                        || taken.getAddress().isAnyLocalAddress() || bind.getAddress().isAnyLocalAddress());
            }).findFirst();
            if (clash.isPresent()) {
                problem(current.getValue(), "conflicts with listener \"" + clash.get().getKey().name()
                        + "\", which binds port " + bind.getPort() + " too" + firstAt(clash.get().getValue())
                        + ": give each listener its own address or port");
            } else {
                seen.add(current);
            }
        }
    }

    // ---- pools

    private Map<String, PoolConfig> readPools(ConfigMap root, Optional<ConfigNode> node) {
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

    private PoolConfig readPool(String name, ConfigMap m) {
        PluginSpec algorithm = pluginSpec(PluginKind.ALGORITHM, m, "algorithm", DEFAULT_ALGORITHM);
        List<BackendConfig> backends = readBackends(m);
        HealthConfig health = safely(() -> m.map("health"), Optional.<ConfigMap>empty())
                .map(this::readHealth).orElse(null);
        problems.addAll(m.unknownKeys());
        return new PoolConfig(name, algorithm, backends, health);
    }

    private List<BackendConfig> readBackends(ConfigMap pool) {
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

    private BackendConfig readBackend(ConfigMap m) {
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
        problems.addAll(m.unknownKeys());
        return new BackendConfig(name, address, weight, labels);
    }

    private HealthConfig readHealth(ConfigMap m) {
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

    // ---- notifiers

    private List<NotifierConfig> readNotifiers(Optional<ConfigNode> node) {
        List<NotifierConfig> notifiers = new ArrayList<>();
        if (node.isEmpty() || isNull(node.get())) {
            return notifiers;
        }
        if (!(node.get() instanceof ConfigList list)) {
            problem(node.get(), "expected a list of notifiers, e.g. notifiers: [{ type: log }], got "
                    + node.get().describe());
            return notifiers;
        }
        for (ConfigNode item : list.items()) {
            if (item instanceof ConfigMap m) {
                notifiers.add(readNotifier(m));
            } else {
                PluginSpec spec = pluginSpecOf(PluginKind.NOTIFIER, item);
                if (spec != null) {
                    notifiers.add(new NotifierConfig(spec, EnumSet.allOf(EventType.class), DEFAULT_QUEUE_SIZE,
                            DEFAULT_ATTEMPTS));
                }
            }
        }
        return notifiers;
    }

    private NotifierConfig readNotifier(ConfigMap m) {
        PluginSpec spec = pluginSpecOf(PluginKind.NOTIFIER, m);
        Set<EventType> events = readEvents(m);
        int queueSize = integer(m, "queue-size", DEFAULT_QUEUE_SIZE, 1, 1_000_000);
        int attempts = integer(m, "attempts", DEFAULT_ATTEMPTS, 1, 100);
        return new NotifierConfig(spec, events, queueSize, attempts);
    }

    private Set<EventType> readEvents(ConfigMap m) {
        Optional<ConfigNode> node = m.node("events");
        if (node.isEmpty() || isNull(node.get())) {
            return EnumSet.allOf(EventType.class);
        }
        List<ConfigNode> items = node.get() instanceof ConfigList list ? list.items() : List.of(node.get());
        List<String> known = Arrays.stream(EventType.values()).map(EventType::configName).toList();
        if (items.isEmpty()) {
            problem(node.get(), "no events listed: list at least one (known: " + String.join(", ", known)
                    + "), or leave events out for all of them");
        }
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        for (ConfigNode item : items) {
            if (!(item instanceof ConfigScalar s) || s.isNull()) {
                problem(item, "expected an event name (known: " + String.join(", ", known) + "), got "
                        + item.describe());
            } else if (!known.contains(s.text())) {
                problem(item, Suggestions.unknown("event", s.text(), known));
            } else {
                events.add(EventType.fromConfigName(s.text()));
            }
        }
        return events;
    }

    // ---- plugins and shutdown

    private Path readPluginsDir(ConfigMap root, Path baseDir) {
        Optional<ConfigMap> block = safely(() -> root.map("plugins"), Optional.<ConfigMap>empty());
        if (block.isEmpty()) {
            return null;
        }
        Optional<String> dir = safely(() -> block.get().string("dir"), Optional.<String>empty());
        if (dir.isEmpty()) {
            return null;
        }
        Path resolved = baseDir.resolve(dir.get()).normalize();
        if (!Files.isDirectory(resolved)) {
            problem(block.get().peek("dir").orElseThrow(), "plugins directory " + resolved + " does not exist or is"
                    + " not a directory: create it, or remove plugins.dir");
        }
        return resolved;
    }

    private Duration readDrainTimeout(ConfigMap root) {
        Optional<ConfigMap> block = safely(() -> root.map("shutdown"), Optional.<ConfigMap>empty());
        return block.map(m -> safely(() -> m.duration("drain-timeout", DEFAULT_DRAIN_TIMEOUT),
                DEFAULT_DRAIN_TIMEOUT)).orElse(DEFAULT_DRAIN_TIMEOUT);
    }

    // ---- plugin specs

    /** A plugin chosen under {@code parent.key}: absent means {@code defaultType}. */
    private PluginSpec pluginSpec(PluginKind kind, ConfigMap parent, String key, String defaultType) {
        Optional<ConfigNode> node = safely(() -> parent.node(key), Optional.<ConfigNode>empty());
        if (node.isEmpty() || isNull(node.get())) {
            PluginSpec spec = new PluginSpec(kind, defaultType, ConfigMap.shorthand(new ConfigScalar(
                    ConfigNode.childPath(parent.path(), key), parent.location(), ConfigScalar.Type.STRING,
                    defaultType, defaultType)));
            specs.add(spec);
            return spec;
        }
        return pluginSpecOf(kind, node.get());
    }

    /**
     * A plugin chosen by {@code node}: a name, or a map of its {@code type} and settings. Runtime keys other than
     * {@code type} (a notifier's) stay out of the plugin's settings.
     */
    private PluginSpec pluginSpecOf(PluginKind kind, ConfigNode node) {
        String what = kind.displayName();
        if (node instanceof ConfigScalar s && s.type() == ConfigScalar.Type.STRING && !s.text().isEmpty()) {
            PluginSpec spec = new PluginSpec(kind, s.text(), ConfigMap.shorthand(s));
            specs.add(spec);
            return spec;
        }
        if (node instanceof ConfigMap m) {
            String type = requiredString(m, "type", "the " + what + "'s name");
            if (type == null) {
                return null;
            }
            List<String> runtimeKeys = kind == PluginKind.NOTIFIER ? NOTIFIER_RUNTIME_KEYS : List.of("type");
            PluginSpec spec = new PluginSpec(kind, type, m.withoutKeys(runtimeKeys));
            specs.add(spec);
            return spec;
        }
        problem(node, "expected the name of " + article(what) + " " + what + ", or a map of its type and settings,"
                + " got " + node.describe());
        return null;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    // ---- helpers

    private String requiredString(ConfigMap m, String key, String hint) {
        Optional<String> value = safely(() -> m.string(key), null);
        if (value == null) {
            return null; // wrong type, already reported
        }
        if (value.isEmpty()) {
            SourceLocation at = m.keyLocation(key) != null ? m.keyLocation(key) : m.location();
            problems.add(new ConfigProblem(at, m.path(), "missing required key \"" + key + "\" (" + hint + ")"));
            return null;
        }
        if (value.get().isBlank()) {
            problem(m.peek(key).orElseThrow(), "must not be empty (" + hint + ")");
            return null;
        }
        return value.get();
    }

    private ConfigList requiredList(ConfigMap parent, String key, Optional<ConfigNode> node, String hint) {
        if (node.isEmpty() || isNull(node.get())) {
            SourceLocation at = parent.keyLocation(key) != null ? parent.keyLocation(key) : parent.location();
            problems.add(new ConfigProblem(at, parent.path(), "missing required key \"" + key + "\" (" + hint + ")"));
            return null;
        }
        if (!(node.get() instanceof ConfigList list)) {
            problem(node.get(), "expected a list, got " + node.get().describe() + " (" + hint + ")");
            return null;
        }
        if (list.items().isEmpty()) {
            problem(list, "must not be empty (" + hint + ")");
        }
        return list;
    }

    private InetSocketAddress requiredAddress(ConfigMap m, String key, int minPort, String hint) {
        Optional<ConfigNode> node = m.node(key);
        if (node.isEmpty() || isNull(node.get())) {
            SourceLocation at = m.keyLocation(key) != null ? m.keyLocation(key) : m.location();
            problems.add(new ConfigProblem(at, m.path(), "missing required key \"" + key + "\" (" + hint + ")"));
            return null;
        }
        return address(node.get(), minPort);
    }

    private InetSocketAddress address(ConfigNode node, int minPort) {
        if (!(node instanceof ConfigScalar s) || s.type() != ConfigScalar.Type.STRING) {
            problem(node, "expected host:port or [ipv6]:port, got " + node.describe());
            return null;
        }
        try {
            return addresses.parse(s.text(), minPort);
        } catch (IllegalArgumentException e) {
            problem(node, e.getMessage());
            return null;
        }
    }

    private int integer(ConfigMap m, String key, int defaultValue, int min, int max) {
        return (int) safely(() -> m.integer(key, defaultValue, min, max), (long) defaultValue).longValue();
    }

    private Duration positiveDuration(ConfigMap m, String key, Duration defaultValue) {
        Duration value = safely(() -> m.duration(key, defaultValue), defaultValue);
        if (value.isZero()) {
            problem(m.peek(key).orElseThrow(), "must be greater than 0, e.g. " + Durations.format(defaultValue));
            return defaultValue;
        }
        return value;
    }

    private ConfigMap asMap(ConfigNode node, String expected) {
        if (node instanceof ConfigMap m) {
            return m;
        }
        problem(node, "expected " + expected + ", got " + node.describe());
        return null;
    }

    private static boolean isNull(ConfigNode node) {
        return node instanceof ConfigScalar s && s.isNull();
    }

    private <T> T safely(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigValueException e) {
            problems.add(e.problem());
            return fallback;
        }
    }

    private void problem(ConfigNode node, String message) {
        problems.add(new ConfigProblem(node.location(), node.path(), message));
    }

    private static String firstAt(ConfigNode first) {
        return first.location() == null ? "" : " (first at line " + first.location().line() + ")";
    }
}

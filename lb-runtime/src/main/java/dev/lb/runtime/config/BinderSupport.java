package dev.lb.runtime.config;

import dev.lb.spi.PluginKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the readers of each part of a configuration share: the problems found so far, the plugins chosen (to be
 * created once all is read), and the helpers that read a value, or record why it cannot be read and carry on.
 */
abstract class BinderSupport {

    // The defaults, as documented on the model records and in docs/configuration.md.
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
    static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_WEIGHT = 10_000;

    /** The keys of a notifier's block that the runtime reads; the rest are the notifier's own. */
    static final List<String> NOTIFIER_RUNTIME_KEYS = List.of(
            "type", "events", "queue-size", "attempts", "backoff");

    final Addresses addresses;
    final List<ConfigProblem> problems;
    final List<PluginSpec> specs;

    BinderSupport(Addresses addresses) {
        this.addresses = addresses;
        this.problems = new ArrayList<>();
        this.specs = new ArrayList<>();
    }

    /** A reader sharing {@code shared}'s problems and plugin choices. */
    BinderSupport(BinderSupport shared) {
        this.addresses = shared.addresses;
        this.problems = shared.problems;
        this.specs = shared.specs;
    }

    // ---- plugin specs

    /** A plugin chosen under {@code parent.key}: absent means {@code defaultType}. */
    PluginSpec pluginSpec(PluginKind kind, ConfigMap parent, String key, String defaultType) {
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
    PluginSpec pluginSpecOf(PluginKind kind, ConfigNode node) {
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

    static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    // ---- helpers

    String requiredString(ConfigMap m, String key, String hint) {
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

    ConfigList requiredList(ConfigMap parent, String key, Optional<ConfigNode> node, String hint) {
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

    InetSocketAddress requiredAddress(ConfigMap m, String key, int minPort, String hint) {
        Optional<ConfigNode> node = m.node(key);
        if (node.isEmpty() || isNull(node.get())) {
            SourceLocation at = m.keyLocation(key) != null ? m.keyLocation(key) : m.location();
            problems.add(new ConfigProblem(at, m.path(), "missing required key \"" + key + "\" (" + hint + ")"));
            return null;
        }
        return address(node.get(), minPort);
    }

    InetSocketAddress address(ConfigNode node, int minPort) {
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

    int integer(ConfigMap m, String key, int defaultValue, int min, int max) {
        return (int) safely(() -> m.integer(key, defaultValue, min, max), (long) defaultValue).longValue();
    }

    Duration positiveDuration(ConfigMap m, String key, Duration defaultValue) {
        Duration value = safely(() -> m.duration(key, defaultValue), defaultValue);
        if (value.isZero()) {
            problem(m.peek(key).orElseThrow(), "must be greater than 0, e.g. " + Durations.format(defaultValue));
            return defaultValue;
        }
        return value;
    }

    /** A required path to a readable regular file, resolved against {@code baseDir}. */
    java.nio.file.Path readableFile(ConfigMap m, String key, java.nio.file.Path baseDir, String hint) {
        String text = requiredString(m, key, hint);
        if (text == null) {
            return null;
        }
        java.nio.file.Path resolved = baseDir.resolve(text).normalize();
        if (!java.nio.file.Files.isRegularFile(resolved) || !java.nio.file.Files.isReadable(resolved)) {
            problem(m.peek(key).orElseThrow(), "file " + resolved + " does not exist or cannot be read (" + hint
                    + "; a relative path starts at the configuration file's folder)");
            return null;
        }
        return resolved;
    }

    long longInteger(ConfigMap m, String key, long defaultValue, long min, long max) {
        return safely(() -> m.integer(key, defaultValue, min, max), defaultValue);
    }

    ConfigMap asMap(ConfigNode node, String expected) {
        if (node instanceof ConfigMap m) {
            return m;
        }
        problem(node, "expected " + expected + ", got " + node.describe());
        return null;
    }

    static boolean isNull(ConfigNode node) {
        return node instanceof ConfigScalar s && s.isNull();
    }

    <T> T safely(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigValueException e) {
            problems.add(e.problem());
            return fallback;
        }
    }

    void problem(ConfigNode node, String message) {
        problems.add(new ConfigProblem(node.location(), node.path(), message));
    }

    static String firstAt(ConfigNode first) {
        return first.location() == null ? "" : " (first at line " + first.location().line() + ")";
    }
}

package dev.lb.runtime.config;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A block of keys, in the order written, each with the location of the key and of its value. It serves both the
 * runtime's reading of its own settings and, as a {@link PluginConfig}, a plugin's block.
 *
 * <p>Every key asked for through a getter, present or not, is remembered; {@link #unknownKeys()} then reports the keys
 * present that nobody asked for, suggesting the closest asked-for key. An explicit null ({@code key: ~} or
 * {@code key:}) reads as absent. The getters throw a {@link PluginConfigException} that carries the offending
 * value's location and path. The tree itself is immutable; only the record of asked-for keys changes, and
 * {@link #copy()} gives a block with a fresh record.
 */
public final class ConfigMap extends ConfigNode implements PluginConfig {

    /**
     * One key of a block.
     *
     * @param keyLocation where the key was written, or null when built from Java values
     * @param value the key's value
     */
    record Entry(SourceLocation keyLocation, ConfigNode value) {
    }

    private final Map<String, Entry> entries;
    /** Keys taken out of a plugin's block because the runtime reads them: known, but not offered to the plugin. */
    private final Map<String, Entry> hidden;
    /** The runtime's keys of a plugin's block, present or not, listed first among the known keys. */
    private final List<String> runtimeKeys;
    private final Set<String> asked = Collections.synchronizedSet(new LinkedHashSet<>());
    /** What relative paths resolve against: the configuration file's folder, once the binder has said so. */
    private volatile Path baseDirectory;
    /** Set when handed out by {@link #section(String)}, so that its unknown keys are reported with its parent's. */
    private volatile boolean opened;

    ConfigMap(String path, SourceLocation location, Map<String, Entry> entries) {
        this(path, location, entries, Map.of(), List.of());
    }

    private ConfigMap(String path, SourceLocation location, Map<String, Entry> entries, Map<String, Entry> hidden,
                      List<String> runtimeKeys) {
        super(path, location);
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.hidden = Collections.unmodifiableMap(new LinkedHashMap<>(hidden));
        this.runtimeKeys = List.copyOf(runtimeKeys);
    }

    /**
     * A block built from plain Java values, without locations, e.g. for a plugin's settings in a test:
     * {@code ConfigMap.of("pools.app.algorithm", Map.of("replicas", 160))}. Values are as for
     * {@link ConfigNode#fromJava(String, Object)}.
     */
    public static ConfigMap of(String path, Map<String, ?> values) {
        return (ConfigMap) fromJava(path, values);
    }

    /** An empty block at {@code path}, e.g. the settings of a plugin chosen by name alone. */
    public static ConfigMap empty(String path) {
        return new ConfigMap(path, null, Map.of());
    }

    /** A plugin block with no keys of its own, chosen by the scalar {@code typeNode} ({@code algorithm: random}). */
    static ConfigMap shorthand(ConfigScalar typeNode) {
        return new ConfigMap(typeNode.path(), typeNode.location(), Map.of(),
                Map.of("type", new Entry(typeNode.location(), typeNode)), List.of("type"));
    }

    /**
     * This block without {@code runtimeKeys}, which the runtime reads itself: what a plugin is given. The removed keys
     * still count as known in {@link #unknownKeys()}.
     */
    ConfigMap withoutKeys(List<String> runtimeKeys) {
        Map<String, Entry> kept = new LinkedHashMap<>();
        Map<String, Entry> removed = new LinkedHashMap<>();
        entries.forEach((key, entry) -> (runtimeKeys.contains(key) ? removed : kept).put(key, entry));
        return withBaseOf(this, new ConfigMap(path(), location(), kept, removed, runtimeKeys));
    }

    /** The same block with a fresh record of asked-for keys, nested blocks included. */
    public ConfigMap copy() {
        Map<String, Entry> copied = new LinkedHashMap<>();
        entries.forEach((key, entry) -> copied.put(key, entry.value() instanceof ConfigMap map
                ? new Entry(entry.keyLocation(), map.copy()) : entry));
        return withBaseOf(this, new ConfigMap(path(), location(), copied, hidden, runtimeKeys));
    }

    private static ConfigMap withBaseOf(ConfigMap original, ConfigMap derived) {
        derived.baseDirectory = original.baseDirectory;
        return derived;
    }

    /**
     * Sets the folder that relative paths in this block and every block inside it resolve against (see
     * {@link #file(String)}): the configuration file's folder.
     */
    void baseDirectory(Path folder) {
        baseDirectory = folder;
        for (Map<String, Entry> map : List.of(entries, hidden)) {
            map.values().forEach(entry -> applyBase(entry.value(), folder));
        }
    }

    private static void applyBase(ConfigNode node, Path folder) {
        if (node instanceof ConfigMap map) {
            map.baseDirectory(folder);
        } else if (node instanceof ConfigList list) {
            list.items().forEach(item -> applyBase(item, folder));
        }
    }

    @Override
    public Optional<Path> file(String key) {
        Path base = baseDirectory == null ? Path.of("").toAbsolutePath() : baseDirectory;
        return string(key).map(text -> base.resolve(text).normalize());
    }

    @Override
    public Set<String> keys() {
        return entries.keySet();
    }

    /** The value of {@code key} whatever its type, empty when absent. Counts as reading the key. */
    public Optional<ConfigNode> node(String key) {
        asked.add(key);
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    /** The value of {@code key} without counting as reading it; also sees the keys the runtime took out. */
    Optional<ConfigNode> peek(String key) {
        Entry entry = entries.containsKey(key) ? entries.get(key) : hidden.get(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    /** Where {@code key} was written, or null when absent or built from Java values. */
    public SourceLocation keyLocation(String key) {
        Entry entry = entries.containsKey(key) ? entries.get(key) : hidden.get(key);
        return entry == null ? null : entry.keyLocation();
    }

    @Override
    public boolean has(String key) {
        asked.add(key);
        return entries.containsKey(key);
    }

    @Override
    public Optional<String> string(String key) {
        return scalar(key, "a text value").map(ConfigScalar::text);
    }

    @Override
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    @Override
    public long integer(String key, long defaultValue, long min, long max) {
        Optional<ConfigScalar> scalar = scalar(key, "a whole number");
        if (scalar.isEmpty()) {
            return defaultValue;
        }
        ConfigScalar value = scalar.get();
        if (value.type() != ConfigScalar.Type.INTEGER) {
            throw error(key, value, "expected a whole number, got " + value.describe());
        }
        BigInteger number = value.integerValue();
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error(key, value, range(min, max) + ", was " + number);
        }
        return number.longValue();
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max;
    }

    @Override
    public double number(String key, double defaultValue) {
        Optional<ConfigScalar> scalar = scalar(key, "a number");
        if (scalar.isEmpty()) {
            return defaultValue;
        }
        ConfigScalar value = scalar.get();
        if (value.type() != ConfigScalar.Type.INTEGER && value.type() != ConfigScalar.Type.FLOAT) {
            throw error(key, value, "expected a number, got " + value.describe());
        }
        return value.doubleValue();
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        Optional<ConfigScalar> scalar = scalar(key, "true or false");
        if (scalar.isEmpty()) {
            return defaultValue;
        }
        ConfigScalar value = scalar.get();
        if (value.type() != ConfigScalar.Type.BOOLEAN) {
            throw error(key, value, "expected true or false, got " + value.describe());
        }
        return value.booleanValue();
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        Optional<ConfigScalar> scalar = scalar(key, Durations.ACCEPTED);
        if (scalar.isEmpty()) {
            return defaultValue;
        }
        ConfigScalar value = scalar.get();
        Optional<Duration> parsed = value.type() == ConfigScalar.Type.STRING
                ? Durations.parse(value.text()) : Optional.empty();
        return parsed.orElseThrow(() -> error(key, value, "expected " + Durations.ACCEPTED + ", got "
                + value.describe()));
    }

    @Override
    public List<String> strings(String key) {
        Optional<ConfigNode> node = node(key);
        if (node.isEmpty() || node.get() instanceof ConfigScalar s && s.isNull()) {
            return List.of();
        }
        return switch (node.get()) {
            case ConfigScalar s -> List.of(s.text());
            case ConfigList list -> {
                List<String> texts = new ArrayList<>(list.items().size());
                for (ConfigNode item : list.items()) {
                    if (!(item instanceof ConfigScalar s) || s.isNull()) {
                        throw new ConfigValueException(key, new ConfigProblem(item.location(), item.path(),
                                "expected a text value, got " + item.describe()));
                    }
                    texts.add(s.text());
                }
                yield List.copyOf(texts);
            }
            case ConfigMap map -> throw error(key, map, "expected a list of text values, got a map");
        };
    }

    @Override
    public Optional<PluginConfig> section(String key) {
        return map(key).map(PluginConfig.class::cast);
    }

    /**
     * The block under {@code key}, empty when absent or null; anything but a block is an error. Its unknown keys are
     * reported with this block's by {@link #unknownKeys()}.
     */
    public Optional<ConfigMap> map(String key) {
        Optional<ConfigNode> node = node(key);
        if (node.isEmpty() || node.get() instanceof ConfigScalar s && s.isNull()) {
            return Optional.empty();
        }
        if (!(node.get() instanceof ConfigMap map)) {
            throw error(key, node.get(), "expected a map of settings, got " + node.get().describe());
        }
        map.opened = true;
        return Optional.of(map);
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        if (key == null) {
            return new ConfigValueException(null, new ConfigProblem(location(), path(), message));
        }
        Entry entry = entries.get(key);
        SourceLocation at = entry == null ? location() : entry.value().location();
        return new ConfigValueException(key, new ConfigProblem(at, childPath(path(), key), message));
    }

    /** The keys present that no getter asked for, in the order written. */
    List<String> unreadKeys() {
        synchronized (asked) {
            return entries.keySet().stream().filter(k -> !asked.contains(k)).toList();
        }
    }

    /** Whether no getter has asked for any key yet. */
    boolean askedNothing() {
        return asked.isEmpty();
    }

    /** The keys asked for by a getter, then those the runtime took out, in that order: the "known" keys. */
    List<String> knownKeys() {
        Set<String> known = new LinkedHashSet<>(runtimeKeys);
        synchronized (asked) {
            known.addAll(asked);
        }
        return List.copyOf(known);
    }

    /**
     * One problem per key present that no getter asked for, at the key, naming the closest known key; then the same
     * for each block handed out by {@link #section(String)} or {@link #map(String)}.
     */
    public List<ConfigProblem> unknownKeys() {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> known = knownKeys();
        for (String key : unreadKeys()) {
            problems.add(new ConfigProblem(keyLocation(key), childPath(path(), key),
                    Suggestions.unknown("key", key, known)));
        }
        for (Entry entry : entries.values()) {
            if (entry.value() instanceof ConfigMap child && child.opened) {
                problems.addAll(child.unknownKeys());
            }
        }
        return problems;
    }

    @Override
    public String describe() {
        return "a map";
    }

    @Override
    public String toString() {
        return "ConfigMap[" + displayPath(path()) + ", keys=" + entries.keySet() + "]";
    }

    /** The scalar under {@code key}; empty when absent or null; a list or a block is an error. */
    private Optional<ConfigScalar> scalar(String key, String expected) {
        Optional<ConfigNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (!(node.get() instanceof ConfigScalar scalar)) {
            throw error(key, node.get(), "expected " + expected + ", got " + node.get().describe());
        }
        return scalar.isNull() ? Optional.empty() : Optional.of(scalar);
    }

    private ConfigValueException error(String key, ConfigNode value, String message) {
        SourceLocation at = value.location() != null ? value.location() : location();
        return new ConfigValueException(key, new ConfigProblem(at, childPath(path(), key), message));
    }
}

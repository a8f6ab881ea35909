package dev.lb.spi.testkit;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link PluginConfig} built from plain Java values, for driving a plugin provider in a unit test.
 *
 * <p>Values are texts (or numbers and booleans, read as their text), lists of them, and nested maps for sections. The
 * getters follow the SPI's documented semantics: integers are checked against their range, booleans are {@code true}
 * or {@code false}, durations are a number and a unit ({@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}),
 * and a malformed value throws the {@link PluginConfigException} the runtime would report against its key.
 *
 * <p>Like the runtime, it remembers which keys were read (by any getter, including {@link #has}), so that a test can
 * check with {@link #unreadKeys()} that its plugin reads every key it accepts: the runtime reports an unread key as
 * unknown. Not thread-safe; a provider reads its configuration on one thread.
 */
public final class MapPluginConfig implements PluginConfig {

    /** The path used when a test does not give one. */
    public static final String DEFAULT_PATH = "plugin";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String path;
    private final Map<String, Object> values;
    private final Path baseDirectory;
    private final Set<String> read = new LinkedHashSet<>();

    private MapPluginConfig(String path, Map<String, ?> values, Path baseDirectory) {
        this.path = Objects.requireNonNull(path, "path");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.baseDirectory = baseDirectory;
        this.values.forEach((key, value) -> Objects.requireNonNull(value, () -> "value of " + key));
    }

    /** A configuration at {@code path} holding {@code values}, in the map's order. */
    public static MapPluginConfig at(String path, Map<String, ?> values) {
        return new MapPluginConfig(path, values, null);
    }

    /** A configuration holding {@code values}, in the map's order. */
    public static MapPluginConfig of(Map<String, ?> values) {
        return at(DEFAULT_PATH, values);
    }

    /** A configuration from alternating keys and values: {@code of("key", "path", "replicas", "160")}. */
    public static MapPluginConfig of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs, got " + keysAndValues.length
                    + " items");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (!(keysAndValues[i] instanceof String key)) {
                throw new IllegalArgumentException("item " + i + " must be a key (a String), was " + keysAndValues[i]);
            }
            values.put(key, keysAndValues[i + 1]);
        }
        return of(values);
    }

    /** An empty configuration: every getter answers its default. */
    public static MapPluginConfig empty() {
        return of(Map.of());
    }

    /**
     * A copy of this configuration whose {@link #file(String)} resolves relative paths against {@code directory}, as
     * the runtime resolves them against the folder of the configuration file.
     */
    public MapPluginConfig resolvingFilesAgainst(Path directory) {
        return new MapPluginConfig(path, values, directory.toAbsolutePath().normalize());
    }

    /** The keys read so far, by any getter, in the order first read; includes keys read but absent. */
    public Set<String> readKeys() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(read));
    }

    /** The keys present but never read: what the runtime would report as unknown. */
    public Set<String> unreadKeys() {
        Set<String> unread = new LinkedHashSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    @Override
    public boolean has(String key) {
        read.add(key);
        return values.containsKey(key);
    }

    @Override
    public Optional<String> string(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value instanceof Map<?, ?>) {
            throw invalid(key, "must be a text, not a block");
        }
        if (value instanceof List<?>) {
            throw invalid(key, "must be a text, not a list");
        }
        return Optional.ofNullable(value).map(String::valueOf);
    }

    @Override
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    @Override
    public long integer(String key, long defaultValue, long min, long max) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "must be an integer, was '" + text.get() + "'");
        }
        if (value < min || value > max) {
            throw invalid(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    @Override
    public double number(String key, double defaultValue) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(text.get().trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw invalid(key, "must be a number, was '" + text.get() + "'");
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "must be true or false, was '" + text.get() + "'");
        };
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            throw invalid(key, "must be a duration such as 500ms, 2s or 5m, was '" + text.get() + "'");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(key, "is too long a duration: '" + text.get() + "'");
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    @Override
    public Optional<Path> file(String key) {
        if (baseDirectory == null) {
            return PluginConfig.super.file(key);
        }
        return string(key).map(text -> baseDirectory.resolve(text).normalize());
    }

    @Override
    public List<String> strings(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?>) {
            throw invalid(key, "must be a list of texts, not a block");
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    @Override
    public Optional<PluginConfig> section(String key) {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(key, "must be a block of keys, was '" + value + "'");
        }
        Map<String, Object> nested = new LinkedHashMap<>();
        map.forEach((k, v) -> nested.put(String.valueOf(k), v));
        return Optional.of(new MapPluginConfig(path + "." + key, nested, baseDirectory));
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        return new PluginConfigException(key, message);
    }

    @Override
    public String toString() {
        return path + " " + values;
    }
}

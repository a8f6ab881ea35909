package dev.lb.plugins.algorithms;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plugin configuration from a map of texts, remembering which keys were read, as the runtime does. */
final class MapConfig implements PluginConfig {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Set<String> read = new LinkedHashSet<>();

    MapConfig(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
    }

    static MapConfig empty() {
        return new MapConfig(Map.of());
    }

    static MapConfig of(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new MapConfig(map);
    }

    /** Keys present but never read: what the runtime would report as unknown. */
    Set<String> unread() {
        Set<String> unread = new LinkedHashSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }

    @Override
    public String path() {
        return "pools.test.algorithm";
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
        return Optional.ofNullable(values.get(key));
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
            value = Long.parseLong(text.get());
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
        return string(key).map(Double::parseDouble).orElse(defaultValue);
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return string(key).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(text.get());
        if (!m.matches()) {
            throw invalid(key, "must be a duration such as 500ms or 2s, was '" + text.get() + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Override
    public List<String> strings(String key) {
        return string(key).map(List::of).orElse(List.of());
    }

    @Override
    public Optional<PluginConfig> section(String key) {
        read.add(key);
        return Optional.empty();
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        return new PluginConfigException(key, message);
    }
}

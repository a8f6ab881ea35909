package dev.lb.bench;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A plugin configuration from a map of texts, for benchmark presets only: integers and durations in the simple forms
 * the presets use ({@code 65537}, {@code 30s}, {@code 1h}). Remembers which keys were read.
 */
final class MapConfig implements PluginConfig {

    private final Map<String, String> values;
    private final Set<String> read = new HashSet<>();

    MapConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    Set<String> unread() {
        Set<String> unread = new HashSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
    }

    @Override
    public String path() {
        return "bench.algorithm";
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
        return string(key).map(Long::parseLong).orElse(defaultValue);
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
        return string(key).map(MapConfig::parseDuration).orElse(defaultValue);
    }

    private static Duration parseDuration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration: " + text);
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

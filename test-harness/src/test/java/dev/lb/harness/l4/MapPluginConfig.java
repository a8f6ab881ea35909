package dev.lb.harness.l4;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A minimal map-backed {@link PluginConfig} for tests that build an {@code LbConfig} in code. */
final class MapPluginConfig implements PluginConfig {

    private final String path;
    private final Map<String, Object> values;

    MapPluginConfig(String path, Map<String, ?> values) {
        this.path = path;
        this.values = new LinkedHashMap<>(values);
    }

    static MapPluginConfig empty(String path) {
        return new MapPluginConfig(path, Map.of());
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
        return values.containsKey(key);
    }

    @Override
    public Optional<String> string(String key) {
        return Optional.ofNullable(values.get(key)).map(String::valueOf);
    }

    @Override
    public String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    @Override
    public long integer(String key, long defaultValue, long min, long max) {
        long value = string(key).map(Long::parseLong).orElse(defaultValue);
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
        Object value = values.get(key);
        return value instanceof Duration d ? d : value == null ? defaultValue : Duration.parse(value.toString());
    }

    @Override
    public List<String> strings(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(value.toString());
    }

    @Override
    public Optional<PluginConfig> section(String key) {
        return Optional.empty();
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        return new PluginConfigException(key, path + (key == null ? "" : "." + key) + ": " + message);
    }
}

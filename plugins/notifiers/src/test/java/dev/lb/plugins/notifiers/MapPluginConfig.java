package dev.lb.plugins.notifiers;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A plugin configuration made of plain texts, for driving a provider in a unit test. */
record MapPluginConfig(Map<String, String> values) implements PluginConfig {

    static MapPluginConfig of(String... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new MapPluginConfig(values);
    }

    @Override
    public String path() {
        return "notifiers[0]";
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
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    @Override
    public long integer(String key, long defaultValue, long min, long max) {
        if (!has(key)) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(values.get(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "must be an integer, was " + values.get(key));
        }
        if (value < min || value > max) {
            throw invalid(key, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    @Override
    public double number(String key, double defaultValue) {
        return has(key) ? Double.parseDouble(values.get(key)) : defaultValue;
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? Boolean.parseBoolean(values.get(key)) : defaultValue;
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public List<String> strings(String key) {
        return has(key) ? List.of(values.get(key)) : List.of();
    }

    @Override
    public Optional<PluginConfig> section(String key) {
        return Optional.empty();
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        return new PluginConfigException(key, message);
    }
}

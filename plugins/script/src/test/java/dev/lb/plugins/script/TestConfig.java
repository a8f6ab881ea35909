package dev.lb.plugins.script;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plugin configuration over nested Java maps, lists and texts, for driving the provider in unit tests. */
record TestConfig(String path, Map<String, Object> values) implements PluginConfig {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s)");

    static TestConfig of(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new TestConfig("pools.test.algorithm", values);
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
        Object value = values.get(key);
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw invalid(key, "must be a text");
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
        long value = Long.parseLong(text.get());
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
            throw invalid(key, "must be a duration such as 5ms");
        }
        long amount = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    }

    @Override
    public List<String> strings(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<PluginConfig> section(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw invalid(key, "must be a block");
        }
        return Optional.of(new TestConfig(path + "." + key, (Map<String, Object>) value));
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        return new PluginConfigException(key, message);
    }
}

package dev.lb.plugins.notifiers;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plugin configuration of plain values (texts, and maps for sections), for driving a provider in a unit test. It
 * checks types and ranges as the runtime's does, with simpler messages.
 */
record MapPluginConfig(String path, Map<String, Object> values) implements PluginConfig {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    static MapPluginConfig of(String... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new MapPluginConfig("notifiers[0]", values);
    }

    static MapPluginConfig of(Map<String, Object> values) {
        return new MapPluginConfig("notifiers[0]", values);
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
        if (value != null && !(value instanceof String)) {
            throw invalid(key, "expected text, got a block");
        }
        return Optional.ofNullable((String) value);
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
            throw invalid(key, "must be an integer, was " + text.get());
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
            throw invalid(key, "expected a duration, got " + text.get());
        }
        ChronoUnit unit = switch (m.group(2)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        return Duration.of(Long.parseLong(m.group(1)), unit);
    }

    @Override
    public List<String> strings(String key) {
        return string(key).map(List::of).orElse(List.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<PluginConfig> section(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(key, "expected a block, got " + value);
        }
        return Optional.of(new MapPluginConfig(path + "." + key, (Map<String, Object>) map));
    }

    @Override
    public PluginConfigException invalid(String key, String message) {
        return new PluginConfigException(key, message);
    }
}

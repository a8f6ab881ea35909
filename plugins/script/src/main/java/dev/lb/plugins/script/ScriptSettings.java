package dev.lb.plugins.script;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code script} algorithm's settings.
 *
 * @param file the policy file, resolved against the configuration file's folder
 * @param displayName the file as written in the configuration, which is how locations in messages name it
 * @param fallback the algorithm that places a request when the script fails
 * @param configJson the {@code config} block as JSON, given to the policy's {@code init}
 * @param timeBudget how long one pick may run before the watchdog interrupts it
 * @param statementLimit how many JavaScript statements one pick may execute
 * @param watch whether to reload the file when it changes
 * @param allocationLimit how many bytes one pick may allocate before the watchdog interrupts it
 * @param recycleAfter how many bytes the picks of one context may allocate in all before it is rebuilt afresh
 */
record ScriptSettings(Path file, String displayName, Fallback fallback, String configJson, Duration timeBudget,
        long statementLimit, boolean watch, long allocationLimit, long recycleAfter) {

    static final long DEFAULT_ALLOCATION_LIMIT = 8 * ByteSize.MIB;
    static final long DEFAULT_RECYCLE_AFTER = 256 * ByteSize.MIB;

    static ScriptSettings read(PluginConfig config) {
        String written = config.string("file").orElseThrow(() -> config.invalid(null,
                "missing key file: the path of the policy script, e.g. file: scripts/canary.js"));
        Path file = config.file("file").orElseThrow();
        String fallbackName = config.string("fallback", "round-robin");
        Fallback fallback = Fallback.named(fallbackName)
                .orElseThrow(() -> config.invalid("fallback", "unknown fallback \"" + fallbackName
                        + "\": must be round-robin or random"));
        Duration budget = config.duration("time-budget", Duration.ofMillis(5));
        if (budget.isNegative() || budget.isZero() || budget.compareTo(Duration.ofSeconds(1)) > 0) {
            throw config.invalid("time-budget", "must be between 1ms and 1s, was " + budget.toMillis() + "ms");
        }
        long statements = config.integer("statement-limit", 100_000, 100, 100_000_000);
        boolean watch = config.bool("watch", true);
        long allocationLimit = size(config, "allocation-limit", DEFAULT_ALLOCATION_LIMIT, 64 * ByteSize.KIB,
                ByteSize.GIB);
        long recycleAfter = size(config, "recycle-after", DEFAULT_RECYCLE_AFTER, ByteSize.MIB, 64 * ByteSize.GIB);
        if (recycleAfter < allocationLimit) {
            throw config.invalid("recycle-after", "must be at least allocation-limit ("
                    + ByteSize.format(allocationLimit) + "), was " + ByteSize.format(recycleAfter));
        }
        String json = config.section("config").map(ScriptSettings::toJson).orElse("{}");
        return new ScriptSettings(file, written, fallback, json, budget, statements, watch, allocationLimit,
                recycleAfter);
    }

    private static long size(PluginConfig config, String key, long defaultValue, long min, long max) {
        Optional<String> text = config.string(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long bytes;
        try {
            bytes = ByteSize.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw config.invalid(key, e.getMessage());
        }
        if (bytes < min || bytes > max) {
            throw config.invalid(key, "must be between " + ByteSize.format(min) + " and " + ByteSize.format(max)
                    + ", was " + ByteSize.format(bytes));
        }
        return bytes;
    }

    /** The block as a JSON object; scalars that read as numbers or booleans become those. */
    static String toJson(PluginConfig block) {
        StringBuilder json = new StringBuilder("{");
        for (String key : block.keys()) {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(json, key).append(':');
            // The interface offers no way to ask a value's kind: try each reading in turn.
            Optional<String> scalar;
            try {
                scalar = block.string(key);
            } catch (PluginConfigException notText) {
                scalar = Optional.empty();
                Optional<PluginConfig> section;
                try {
                    section = block.section(key);
                } catch (PluginConfigException notBlock) {
                    section = Optional.empty();
                }
                if (section.isPresent()) {
                    json.append(toJson(section.get()));
                    continue;
                }
            }
            if (scalar.isPresent()) {
                scalar(json, scalar.get());
            } else {
                List<String> items = block.strings(key);
                json.append('[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    scalar(json, items.get(i));
                }
                json.append(']');
            }
        }
        return json.append('}').toString();
    }

    private static void scalar(StringBuilder json, String value) {
        if (value.equals("true") || value.equals("false") || value.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?")) {
            json.append(value);
        } else {
            quote(json, value);
        }
    }

    private static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}

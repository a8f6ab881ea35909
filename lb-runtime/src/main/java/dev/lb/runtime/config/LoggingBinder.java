package dev.lb.runtime.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code logging}: logger levels and the access-log format. */
final class LoggingBinder extends BinderSupport {

    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
    /** The fields an access-log format may use, as {@code ${name}}. */
    static final List<String> ACCESS_LOG_FIELDS = List.of("time", "client", "listener", "protocol", "pool",
            "backend", "method", "uri", "status", "bytes_in", "bytes_out", "duration_ms");
    private static final Pattern FIELD = Pattern.compile("\\$\\{([^}]*)}");

    LoggingBinder(BinderSupport shared) {
        super(shared);
    }

    LoggingConfig readLogging(ConfigMap root) {
        Optional<ConfigMap> block = safely(() -> root.map("logging"), Optional.<ConfigMap>empty());
        if (block.isEmpty()) {
            return LoggingConfig.DEFAULT;
        }
        ConfigMap m = block.get();
        Map<String, String> levels = new LinkedHashMap<>();
        Optional<ConfigMap> levelsBlock = safely(() -> m.map("levels"), Optional.<ConfigMap>empty());
        levelsBlock.ifPresent(lm -> {
            for (String logger : List.copyOf(lm.keys())) {
                ConfigNode node = lm.node(logger).orElseThrow();
                if (node instanceof ConfigScalar s && s.type() == ConfigScalar.Type.STRING
                        && LEVELS.contains(s.text().toLowerCase(java.util.Locale.ROOT))) {
                    levels.put(logger, s.text().toLowerCase(java.util.Locale.ROOT));
                } else {
                    String text = node instanceof ConfigScalar s ? s.text() : node.describe();
                    problem(node, Suggestions.unknown("level", text, LEVELS));
                }
            }
        });
        Optional<String> format = safely(() -> m.string("access-log-format"), Optional.<String>empty());
        if (format.isPresent()) {
            Matcher matcher = FIELD.matcher(format.get());
            while (matcher.find()) {
                if (!ACCESS_LOG_FIELDS.contains(matcher.group(1))) {
                    problem(m.peek("access-log-format").orElseThrow(),
                            Suggestions.unknown("access-log field", "${" + matcher.group(1) + "}",
                                    ACCESS_LOG_FIELDS.stream().map(f -> "${" + f + "}").toList()));
                }
            }
        }
        return new LoggingConfig(levels, format.orElse(null));
    }
}

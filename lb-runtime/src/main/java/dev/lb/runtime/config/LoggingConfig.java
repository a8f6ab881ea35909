package dev.lb.runtime.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logging settings.
 *
 * @param levels logger name (or {@code root}) to level ({@code trace}, {@code debug}, {@code info}, {@code warn},
 *     {@code error}, {@code off}), in file order
 * @param accessLogFormat the pattern of one access-log line (see {@code docs/configuration.md}), or null for the
 *     default; access-log lines go to the logger {@code dev.lb.access} at info
 */
public record LoggingConfig(Map<String, String> levels, String accessLogFormat) {

    /** The access-log line when none is configured. */
    public static final String DEFAULT_ACCESS_LOG_FORMAT =
            "${client} ${listener} ${pool}/${backend} ${status} ${bytes_in} ${bytes_out} ${duration_ms}ms";

    /** No level set, the default access-log format. */
    public static final LoggingConfig DEFAULT = new LoggingConfig(Map.of(), null);

    public LoggingConfig {
        levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
    }

    /** The access-log pattern in force. */
    public String accessLogPattern() {
        return accessLogFormat != null ? accessLogFormat : DEFAULT_ACCESS_LOG_FORMAT;
    }
}

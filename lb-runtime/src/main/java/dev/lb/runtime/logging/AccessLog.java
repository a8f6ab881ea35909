package dev.lb.runtime.logging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per finished exchange (an HTTP request, or a TCP connection) on the logger
 * {@code dev.lb.access} at info (the HTTP listener's logger too), formatted by a pattern of literal text and {@code ${field}} placeholders (fields:
 * time, client, listener, protocol, pool, backend, method, uri, status, bytes_in, bytes_out, duration_ms). The pattern
 * can be replaced at any time (a reload); a field without a value prints {@code -}.
 */
public final class AccessLog {

    private static final Logger log = LoggerFactory.getLogger("dev.lb.access");
    private static final Pattern FIELD = Pattern.compile("\\$\\{([^}]*)}");

    private volatile List<String> parts;

    /** An access log with {@code pattern}. */
    public AccessLog(String pattern) {
        format(pattern);
    }

    /** Replaces the pattern. */
    public void format(String pattern) {
        List<String> compiled = new ArrayList<>();
        Matcher matcher = FIELD.matcher(pattern);
        int last = 0;
        while (matcher.find()) {
            compiled.add(pattern.substring(last, matcher.start()));
            compiled.add(matcher.group(1));
            last = matcher.end();
        }
        compiled.add(pattern.substring(last));
        this.parts = List.copyOf(compiled);
    }

    /** Whether lines are written at all (the logger is enabled at info); check before gathering fields. */
    public boolean enabled() {
        return log.isInfoEnabled();
    }

    /** Writes one line with {@code fields}; {@code time} is filled in when absent. */
    public void log(Map<String, ?> fields) {
        if (log.isInfoEnabled()) {
            log.info(line(fields));
        }
    }

    /** The line {@code fields} give with the current pattern. */
    public String line(Map<String, ?> fields) {
        List<String> current = parts;
        StringBuilder line = new StringBuilder(128);
        for (int i = 0; i < current.size(); i++) {
            if (i % 2 == 0) {
                line.append(current.get(i));
            } else {
                String field = current.get(i);
                Object value = fields.get(field);
                if (value == null && field.equals("time")) {
                    value = Instant.now();
                }
                line.append(value == null ? "-" : value);
            }
        }
        return line.toString();
    }
}

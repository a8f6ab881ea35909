package dev.lb.plugins.notifiers;

import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a {@link HealthEvent} as notifications show them: the documented JSON body of the {@code webhook}
 * notifier and the placeholders of its templates share these names and values.
 */
final class EventFields {

    /** The version of the JSON body; raised only when a field changes meaning or goes away. */
    static final int VERSION = 1;

    private EventFields() {
    }

    /**
     * The placeholder values of {@code event}, as text, in the documented order. Absent values (the backend of a pool
     * event) are empty texts.
     */
    static Map<String, String> of(HealthEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event", event.type().configName());
        fields.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        fields.put("pool", event.pool());
        fields.put("backend", event.backend() == null ? "" : event.backend());
        fields.put("address", event.address() == null ? "" : address(event.address()));
        fields.put("reason", event.reason());
        fields.put("duration", human(event.previousStateDuration()));
        fields.put("duration_ms", Long.toString(event.previousStateDuration().toMillis()));
        fields.put("summary", summary(event));
        fields.put("emoji", emoji(event.type()));
        return fields;
    }

    /** The default JSON body, one object; see docs/notifications.md. */
    static String json(HealthEvent event) {
        StringBuilder json = new StringBuilder(256).append('{');
        json.append("\"version\":").append(VERSION);
        appendString(json, "event", event.type().configName());
        appendString(json, "time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        appendString(json, "pool", event.pool());
        appendString(json, "backend", event.backend());
        appendString(json, "address", event.address() == null ? null : address(event.address()));
        appendString(json, "reason", event.reason());
        json.append(",\"previous_state_duration_ms\":").append(event.previousStateDuration().toMillis());
        appendString(json, "summary", summary(event));
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String name, String value) {
        json.append(",\"").append(name).append("\":");
        if (value == null) {
            json.append("null");
        } else {
            json.append('"').append(escape(value)).append('"');
        }
    }

    /** {@code text} escaped for use inside a JSON string (RFC 8259): quotes, backslashes and control characters. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** One line a person reads in a chat, e.g. {@code backend a (127.0.0.1:9001) of pool app is DOWN: ...}. */
    static String summary(HealthEvent event) {
        String backend = event.backend() == null ? "" : "backend " + event.backend()
                + (event.address() == null ? "" : " (" + address(event.address()) + ")") + " of pool " + event.pool();
        String lasted = human(event.previousStateDuration());
        return switch (event.type()) {
            case BACKEND_DOWN -> backend + " is DOWN: " + event.reason() + " (was up " + lasted + ")";
            case BACKEND_UP -> backend + " is UP: " + event.reason() + " (was out " + lasted + ")";
            case BACKEND_DRAINED -> backend + " is DRAINING: " + event.reason();
            case POOL_EMPTY -> "pool " + event.pool() + " has NO eligible backend: " + event.reason()
                    + " (had one for " + lasted + ")";
            case POOL_RECOVERED -> "pool " + event.pool() + " RECOVERED: " + event.reason() + " (was empty "
                    + lasted + ")";
        };
    }

    /** A red, green or yellow circle, for chat templates that prefix the line with it. */
    static String emoji(EventType type) {
        return switch (type) {
            case BACKEND_DOWN, POOL_EMPTY -> "\uD83D\uDD34";
            case BACKEND_UP, POOL_RECOVERED -> "\uD83D\uDFE2";
            case BACKEND_DRAINED -> "\uD83D\uDFE1";
        };
    }

    static String address(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** {@code 250ms}, {@code 4.5s}, {@code 2m 3s}, {@code 1h 2m}, {@code 3d 4h}: short and readable. */
    static String human(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            long tenths = (millis % 1000) / 100;
            return tenths == 0 ? seconds + "s" : seconds + "." + tenths + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m " + seconds % 60 + "s";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + "h " + minutes % 60 + "m";
        }
        return hours / 24 + "d " + hours % 24 + "h";
    }
}

package dev.lb.plugins.notifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook body written by the operator with {@code {{placeholder}}}s, e.g. for Slack:
 * {@code {"text": "lb: {{summary}}"}}. Each placeholder is replaced by the event's value escaped for use inside a
 * JSON string, so a template is JSON with the placeholders inside its strings. Parsed once, when the notifier is
 * created, so that an unknown placeholder is a configuration error and not a surprise at the first outage.
 */
final class BodyTemplate {

    /** The placeholders a template may use, in documentation order. */
    static final List<String> PLACEHOLDERS = List.of(
            "event", "time", "pool", "backend", "address", "reason", "duration", "duration_ms", "summary", "emoji");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_]+)\\s*}}");

    /** Literal text and placeholder names, alternating, starting and ending with literal text. */
    private final List<String> parts;

    private BodyTemplate(List<String> parts) {
        this.parts = parts;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the first unknown placeholder and the known ones
     */
    static BodyTemplate parse(String text) {
        List<String> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        Set<String> known = Set.copyOf(PLACEHOLDERS);
        while (m.find()) {
            String name = m.group(1);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}} (known: "
                        + String.join(", ", PLACEHOLDERS) + ")");
            }
            parts.add(text.substring(at, m.start()));
            parts.add(name);
            at = m.end();
        }
        parts.add(text.substring(at));
        return new BodyTemplate(List.copyOf(parts));
    }

    /** The body for an event whose fields are {@code fields} (see {@link EventFields#of}). */
    String render(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
            } else {
                out.append(EventFields.escape(fields.getOrDefault(parts.get(i), "")));
            }
        }
        return out.toString();
    }
}

package dev.lb.runtime.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as written in configuration: a whole number and a unit, {@code 250ms}, {@code 2s}, {@code 5m}. */
public final class Durations {

    /** Said in every message about a malformed duration. */
    static final String ACCEPTED = "a duration such as 500ms, 2s, 5m, 1h or 1d (a whole number then a unit, no space)";

    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration {@code text} denotes, empty when it is not of the accepted form. */
    static Optional<Duration> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        ChronoUnit unit = switch (m.group(2)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        return Optional.of(Duration.of(amount, unit));
    }

    /** {@code d} in the configuration's own form, with the largest exact unit: {@code 2s}, {@code 1500ms}. */
    public static String format(Duration d) {
        if (d.isNegative() || d.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    "a configured duration must be a whole, non-negative number of milliseconds, was " + d);
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}

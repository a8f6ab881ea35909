package dev.lb.plugins.script;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Amounts of memory as written in the configuration and in messages: {@code 512KiB}, {@code 4MiB}, {@code 1GiB}. */
final class ByteSize {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})(B|KiB|MiB|GiB)?");

    private ByteSize() {
    }

    /**
     * Reads {@code text}: a whole number of bytes, or a whole number followed by {@code KiB}, {@code MiB} or
     * {@code GiB} (no space).
     *
     * @throws IllegalArgumentException saying what is expected, when {@code text} is not such a size
     */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 512KiB, 4MiB or 1GiB (a whole number, then B, "
                    + "KiB, MiB or GiB, no space), got \"" + text + "\"");
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> KIB;
            case "MiB" -> MIB;
            case "GiB" -> GIB;
            default -> 1;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is far too large");
        }
    }

    /** {@code bytes} in the largest unit that keeps it readable: {@code 4MiB}, {@code 6.3MiB}, {@code 900KiB}. */
    static String format(long bytes) {
        if (bytes >= GIB) {
            return scaled(bytes, GIB, "GiB");
        }
        if (bytes >= MIB) {
            return scaled(bytes, MIB, "MiB");
        }
        if (bytes >= KIB) {
            return scaled(bytes, KIB, "KiB");
        }
        return bytes + "B";
    }

    private static String scaled(long bytes, long unit, String name) {
        return bytes % unit == 0 ? bytes / unit + name
                : String.format(Locale.ROOT, "%.1f%s", (double) bytes / unit, name);
    }
}

package dev.lb.plugins.probes;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP statuses an {@code http} probe accepts, written as in configuration: {@code 200}, {@code 200-399}, or a
 * comma-separated list of both, {@code 200,204,300-399}.
 */
final class StatusRange {

    private final String text;
    private final List<int[]> ranges;

    private StatusRange(String text, List<int[]> ranges) {
        this.text = text;
        this.ranges = ranges;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static StatusRange parse(String text) {
        String compact = text.replace(" ", "");
        if (compact.isEmpty()) {
            throw new IllegalArgumentException("must not be empty, e.g. 200-399");
        }
        List<int[]> ranges = new ArrayList<>();
        for (String part : compact.split(",", -1)) {
            int dash = part.indexOf('-');
            int low = status(dash < 0 ? part : part.substring(0, dash), text);
            int high = dash < 0 ? low : status(part.substring(dash + 1), text);
            if (high < low) {
                throw new IllegalArgumentException("range " + part + " ends before it starts, e.g. 200-399");
            }
            ranges.add(new int[] {low, high});
        }
        return new StatusRange(compact, List.copyOf(ranges));
    }

    private static int status(String digits, String whole) {
        int value;
        try {
            value = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected statuses such as 200, 200-399 or 200,204,300-399, got \""
                    + whole + "\"");
        }
        if (value < 100 || value > 599) {
            throw new IllegalArgumentException("HTTP statuses are 100 to 599, got " + value + " in \"" + whole + "\"");
        }
        return value;
    }

    boolean contains(int status) {
        for (int[] range : ranges) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}

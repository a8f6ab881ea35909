package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on observed shares. */
final class Shares {

    private Shares() {
    }

    /** Asserts that {@code count} of {@code total} is within {@code tolerance} (absolute) of {@code expected}. */
    static void assertShare(double expected, Integer count, int total, double tolerance) {
        double observed = (count == null ? 0 : count) / (double) total;
        assertTrue(Math.abs(observed - expected) <= tolerance,
                () -> "share " + observed + " is not within " + tolerance + " of " + expected);
    }
}

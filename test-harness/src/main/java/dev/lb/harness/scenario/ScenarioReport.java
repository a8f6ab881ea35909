package dev.lb.harness.scenario;

import java.time.Duration;

/** A scenario result on one line, for logs. */
public final class ScenarioReport {

    private ScenarioReport() {
    }

    /** E.g. {@code backend-down-hard tcp: PASS 120 requests, 0 errors, failover 310ms, recovery 250ms, [...]}. */
    public static String line(ScenarioResult r) {
        return r.scenario() + " " + r.protocol().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + (r.passed() ? "PASS" : "FAIL") + " " + r.requests() + " requests, " + r.clientErrors() + " errors,"
                + " failover " + time(r.failover()) + ", recovery " + time(r.recovery()) + ", notified "
                + r.notifications() + (r.passed() ? "" : ", failures " + r.failures()) + ", notes " + r.notes();
    }

    /** {@code 310ms}, {@code 2.4s}, or {@code -} for none. */
    public static String time(Duration d) {
        return d == null ? "-" : ScenarioRun.format(d);
    }
}

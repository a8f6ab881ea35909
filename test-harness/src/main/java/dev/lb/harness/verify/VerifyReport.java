package dev.lb.harness.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.harness.scenario.ScenarioReport;
import dev.lb.harness.scenario.ScenarioResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Verifier} found: one {@link ScenarioResult} per scenario and listener, rendered as text tables or JSON.
 *
 * @param config the configuration file verified, as named by the user
 * @param results in run order
 */
public record VerifyReport(String config, List<ScenarioResult> results) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public VerifyReport {
        results = List.copyOf(results);
    }

    /** Whether every scenario met its expectations. */
    public boolean passed() {
        return results.stream().allMatch(ScenarioResult::passed);
    }

    /** The scenarios that did not. */
    public List<ScenarioResult> failed() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    /**
     * A table per listener (a row per scenario: result, requests, client errors, time to fail over, time to recover,
     * notifications), then what was done and seen in each scenario, then a verdict line.
     */
    public String table() {
        StringBuilder out = new StringBuilder();
        Map<String, List<ScenarioResult>> byListener = new LinkedHashMap<>();
        results.forEach(r -> byListener.computeIfAbsent(r.listener(), k -> new ArrayList<>()).add(r));
        String[] header = {"scenario", "result", "requests", "errors", "failover", "recovery", "notifications"};
        byListener.forEach((listener, rows) -> {
            out.append("listener ").append(listener).append(" (")
                    .append(rows.getFirst().protocol().name().toLowerCase(Locale.ROOT)).append(")\n");
            List<String[]> cells = new ArrayList<>();
            cells.add(header);
            for (ScenarioResult r : rows) {
                cells.add(new String[] {r.scenario(), r.passed() ? "PASS" : "FAIL", Integer.toString(r.requests()),
                        Integer.toString(r.clientErrors()), ScenarioReport.time(r.failover()),
                        ScenarioReport.time(r.recovery()), summarize(r.notifications())});
            }
            appendTable(out, cells);
            for (ScenarioResult r : rows) {
                out.append("  ").append(r.scenario()).append(": ").append(r.fault()).append('\n');
                r.failures().forEach(f -> out.append("    FAIL: ").append(f).append('\n'));
                r.notes().forEach(n -> out.append("    note: ").append(n).append('\n'));
            }
            out.append('\n');
        });
        List<ScenarioResult> failed = failed();
        out.append(config).append(": ").append(failed.isEmpty()
                ? "every scenario passed (" + results.size() + ")"
                : failed.size() + " of " + results.size() + " scenarios failed: "
                + String.join(", ", failed.stream().map(r -> r.scenario() + " on " + r.listener()).toList()))
                .append('\n');
        return out.toString();
    }

    /** The same as JSON, for CI: {@code {config, passed, scenarios: [{listener, protocol, scenario, ...}]}}. */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("config", config);
        root.put("passed", passed());
        ArrayNode scenarios = root.putArray("scenarios");
        for (ScenarioResult r : results) {
            ObjectNode node = scenarios.addObject();
            node.put("listener", r.listener());
            node.put("protocol", r.protocol().name().toLowerCase(Locale.ROOT));
            node.put("scenario", r.scenario());
            node.put("passed", r.passed());
            node.put("fault", r.fault());
            node.put("requests", r.requests());
            node.put("clientErrors", r.clientErrors());
            putMillis(node, "failoverMillis", r.failover());
            putMillis(node, "recoveryMillis", r.recovery());
            r.notifications().forEach(node.putArray("notifications")::add);
            r.failures().forEach(node.putArray("failures")::add);
            r.notes().forEach(node.putArray("notes")::add);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static void putMillis(ObjectNode node, String field, Duration d) {
        if (d == null) {
            node.putNull(field);
        } else {
            node.put(field, d.toMillis());
        }
    }

    /** {@code backend-down b, backend-up b} with repeats counted: {@code 3x backend-down b}. */
    static String summarize(List<String> notifications) {
        if (notifications.isEmpty()) {
            return "none";
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        notifications.forEach(n -> counts.merge(n, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((n, c) -> parts.add(c == 1 ? n : c + "x " + n));
        return String.join(", ", parts);
    }

    private static void appendTable(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 2 && i <= 5;
                String cell = row[i];
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(numeric ? pad + cell : cell + (i == row.length - 1 ? "" : pad));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}

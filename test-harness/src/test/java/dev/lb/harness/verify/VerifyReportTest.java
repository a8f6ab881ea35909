package dev.lb.harness.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.harness.scenario.ScenarioResult;
import dev.lb.spi.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's text and JSON forms, from results made by hand. */
class VerifyReportTest {

    private static final ScenarioResult PASSED = new ScenarioResult("backend-down-hard", "web", Protocol.TCP,
            "backend b: link down (connection refused)", 120, 0, Duration.ofMillis(310), Duration.ofMillis(2400),
            List.of("backend-down b", "backend-up b"), List.of(), List.of());
    private static final ScenarioResult FAILED = new ScenarioResult("backend-flaps", "web", Protocol.TCP,
            "backend b: link down and up 3 times", 98, 40, null, Duration.ofMillis(200),
            List.of("backend-down b", "backend-up b", "backend-down b", "backend-up b"),
            List.of("40 of 90 requests failed while backend b flapped"), List.of("2 of 3 flaps were seen"));

    @Test
    void tablePerListenerThenDetailsThenVerdict() {
        VerifyReport report = new VerifyReport("lb.yaml", List.of(PASSED, FAILED));
        assertEquals("""
                listener web (tcp)
                  scenario           result  requests  errors  failover  recovery  notifications
                  backend-down-hard  PASS         120       0     310ms      2.4s  backend-down b, backend-up b
                  backend-flaps      FAIL          98      40         -     200ms  2x backend-down b, 2x backend-up b
                  backend-down-hard: backend b: link down (connection refused)
                  backend-flaps: backend b: link down and up 3 times
                    FAIL: 40 of 90 requests failed while backend b flapped
                    note: 2 of 3 flaps were seen

                lb.yaml: 1 of 2 scenarios failed: backend-flaps on web
                """, report.table());
    }

    @Test
    void jsonForCi() throws Exception {
        VerifyReport report = new VerifyReport("lb.yaml", List.of(PASSED, FAILED));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new ObjectMapper().readValue(report.json(), Map.class);
        assertEquals("lb.yaml", json.get("config"));
        assertEquals(false, json.get("passed"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> scenarios = (List<Map<String, Object>>) json.get("scenarios");
        Map<String, Object> flaps = new java.util.HashMap<>(scenarios.get(1));
        assertEquals(true, flaps.containsKey("failoverMillis"));
        assertEquals(null, flaps.remove("failoverMillis"), "no failover is null, not absent");
        assertEquals(Map.ofEntries(Map.entry("listener", "web"), Map.entry("protocol", "tcp"),
                Map.entry("scenario", "backend-flaps"), Map.entry("passed", false),
                Map.entry("fault", "backend b: link down and up 3 times"), Map.entry("requests", 98),
                Map.entry("clientErrors", 40), Map.entry("recoveryMillis", 200),
                Map.entry("notifications", List.of("backend-down b", "backend-up b", "backend-down b", "backend-up b")),
                Map.entry("failures", List.of("40 of 90 requests failed while backend b flapped")),
                Map.entry("notes", List.of("2 of 3 flaps were seen"))), flaps);
        assertEquals(310, scenarios.get(0).get("failoverMillis"));
        assertEquals(true, new VerifyReport("lb.yaml", List.of(PASSED)).passed());
    }
}

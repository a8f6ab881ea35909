package dev.lb.harness.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.harness.scenario.ScenarioResult;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.harness.junit.LoadBalancerTest;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.ParsedConfig;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.plugin.PluginDiscovery;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** lb verify's engine on a configuration that fails over and on one that cannot. */
@LoadBalancerTest
@Timeout(120)
class VerifierTest {

    static Path resource(String name) {
        return Path.of("src/test/resources/verify", name);
    }

    static VerifyReport verify(ToxiproxyServer toxiproxy, Path file, Set<String> scenarios) throws Exception {
        ParsedConfig parsed = new ConfigLoader().parse(file);
        PluginCatalog catalog = PluginDiscovery.forRuntime().discover(Optional.empty());
        return new Verifier(toxiproxy).scenarios(s -> scenarios.isEmpty() || scenarios.contains(s.name()))
                .verify(file.toString(), parsed, catalog);
    }

    @Test
    void aSoundConfigurationPassesEveryScenario(ToxiproxyServer toxiproxy) throws Exception {
        VerifyReport report = verify(toxiproxy, resource("sound-fast.yaml"), Set.of());
        System.out.print(report.table());
        assertTrue(report.passed(), report.table());
        assertEquals(7, report.results().size(), "every TCP scenario ran");
        assertTrue(report.results().stream().allMatch(r -> r.listener().equals("fast")));
        String table = report.table();
        assertTrue(table.startsWith("listener fast (tcp)\n  scenario "), table);
        assertTrue(table.contains("backend-down-hard         PASS"), table);
        assertTrue(table.endsWith("every scenario passed (7)\n"), table);
        // The stood-in backend keeps the configured name: unnamed ones are named by their address as written.
        ScenarioResult hard = report.results().getFirst();
        assertEquals(List.of("backend-down 127.0.0.1:9102", "backend-up 127.0.0.1:9102"), hard.notifications());

        JsonNode json = new ObjectMapper().readTree(report.json());
        assertTrue(json.get("passed").asBoolean());
        assertEquals(7, json.get("scenarios").size());
        JsonNode first = json.get("scenarios").get(0);
        assertEquals("backend-down-hard", first.get("scenario").asText());
        assertEquals(0, first.get("clientErrors").asInt());
        assertTrue(first.get("failoverMillis").asLong() > 0);
        assertTrue(first.get("recoveryMillis").isNumber());
    }

    @Test
    void aConfigurationThatCannotFailOverFailsClearly(ToxiproxyServer toxiproxy) throws Exception {
        VerifyReport report = verify(toxiproxy, resource("one-backend-no-retries.yaml"),
                Set.of("backend-down-hard", "backend-flaps"));
        String table = report.table();
        System.out.print(table);
        assertFalse(report.passed());
        assertEquals(2, report.failed().size(), table);
        assertTrue(table.contains("FAIL: "), table);
        assertTrue(table.contains("pool only has one backend, so there is nothing to fail over to: add backends"),
                table);
        assertTrue(table.contains("2 of 2 scenarios failed: backend-down-hard on single, backend-flaps on single"),
                table);
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertFalse(json.get("passed").asBoolean());
        assertTrue(json.get("scenarios").get(0).get("failures").size() > 0);
    }

    @Test
    void eachListenerIsDrivenWithItsProtocolAgainstItsOwnPool(ToxiproxyServer toxiproxy) throws Exception {
        VerifyReport report = verify(toxiproxy, resource("two-listeners.yaml"), Set.of("backend-down-hard",
                "backend-reset"));
        System.out.print(report.table());
        assertTrue(report.passed(), report.table());
        assertEquals(List.of("db tcp backend-down-hard", "db tcp backend-reset", "site http backend-down-hard",
                "site http backend-reset"), report.results().stream()
                .map(r -> r.listener() + " " + r.protocol().name().toLowerCase(java.util.Locale.ROOT) + " "
                        + r.scenario()).toList());
        assertTrue(report.results().get(0).notifications().stream().allMatch(n -> n.endsWith(" replica")
                || n.endsWith(" primary")), report.results().get(0).notifications().toString());
        assertTrue(report.results().get(2).fault().matches("backend w[12]: link down \\(connection refused\\)"),
                report.results().get(2).fault());
        assertEquals(0, report.results().get(3).clientErrors(), "HTTP retries hide the resets");
        assertTrue(report.table().contains("listener db (tcp)\n") && report.table().contains("listener site (http)\n"));
    }

    @Test
    void aWrongConfigurationIsReportedWithItsLocation(ToxiproxyServer toxiproxy) throws Exception {
        ParsedConfig parsed = new ConfigLoader().parse("bad.yaml",
                "listeners: [{ name: x, bind: 127.0.0.1:0, pool: nope }]\npools: { app: { backends: [127.0.0.1:1] } }\n",
                Path.of("").toAbsolutePath());
        ConfigException e = assertThrows(ConfigException.class, () -> new Verifier(toxiproxy)
                .verify("bad.yaml", parsed, PluginDiscovery.forRuntime().discover(Optional.empty())));
        assertTrue(e.getMessage().startsWith("bad.yaml:1:"), e.getMessage());
    }
}

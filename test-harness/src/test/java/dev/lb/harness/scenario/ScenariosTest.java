package dev.lb.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.junit.Harness;
import dev.lb.harness.junit.LoadBalancerTest;
import dev.lb.spi.Protocol;
import dev.lb.harness.plugins.FirstEligiblePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scenario, for TCP and HTTP listeners, against the real Toxiproxy server with fast health checks, and what
 * each must show.
 */
@LoadBalancerTest
@Timeout(60)
class ScenariosTest {

    /**
     * Three backends, connect retries, a tcp probe every 100ms (and for HTTP, retries of idempotent requests and a 1s
     * response timeout): what a sound configuration looks like.
     */
    static LbSpec sound(Protocol protocol) {
        LbSpec spec = LbSpec.of(protocol).backends(3).connectTimeout(Duration.ofMillis(500)).connectAttempts(3)
                .health(Duration.ofMillis(100), 2, 2);
        return protocol == Protocol.HTTP
                ? spec.listener("http", java.util.Map.of("response-timeout", "1s", "retries", java.util.Map.of(
                        "attempts", 2, "methods", List.of("GET", "HEAD"))))
                : spec;
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(Protocol.TCP, Protocol.HTTP).flatMap(protocol -> Scenarios.forProtocol(protocol).stream()
                .map(scenario -> Arguments.of(protocol, scenario)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenarios")
    void passesOnASoundConfiguration(Protocol protocol, Scenario scenario, Harness harness) throws Exception {
        TestBed bed = harness.start(sound(protocol));
        assertEquals(protocol, bed.listener().protocol());
        ScenarioResult result = scenario.run(ScenarioTarget.of(bed));
        System.out.println(ScenarioReport.line(result));
        assertTrue(result.passed(), () -> scenario.name() + " failed: " + result.failures() + "; notes: "
                + result.notes());
        assertTrue(result.requests() > 0);
        assertTrue(bed.backends().stream().allMatch(b -> b.link().faultNames().isEmpty() && b.link().isUp()),
                "every fault repaired");
        switch (scenario.name()) {
            case "backend-down-hard", "network-cut-mid-transfer" -> {
                assertNotNull(result.failover(), "time to fail over measured");
                assertNotNull(result.recovery(), "time to recover measured");
                assertTrue(result.notifications().containsAll(List.of("backend-down b", "backend-up b")),
                        result.notifications().toString());
                assertEquals(0, result.clientErrors(), "connect retries hide the down backend");
            }
            case "all-backends-down" -> {
                assertNotNull(result.failover());
                assertNotNull(result.recovery());
                assertTrue(result.notifications().containsAll(List.of("pool-empty app", "pool-recovered app")),
                        result.notifications().toString());
                assertTrue(result.clientErrors() > 0, "with no backend, clients fail");
            }
            case "backend-flaps" -> assertEquals(0, result.clientErrors());
            case "backend-slow" -> {
                assertEquals(0, result.clientErrors());
                assertFalse(result.notifications().contains("backend-down b"));
            }
            case "backend-down-soft" -> {
                assertNotNull(result.recovery());
                assertTrue(result.notes().stream().anyMatch(n -> n.contains("only checks that connections")),
                        result.notes().toString());
                if (protocol == Protocol.HTTP) {
                    assertTrue(result.notes().stream().anyMatch(n -> n.contains("then gets 504")),
                            result.notes().toString());
                }
            }
            case "backend-reset" -> {
                assertNotNull(result.recovery());
                if (protocol == Protocol.HTTP) {
                    assertEquals(0, result.clientErrors(), "an idempotent GET reset before any answer is retried");
                }
                // A reset may or may not fail a connect-only probe: either it left rotation, or the result says why not.
                assertTrue(result.failover() != null
                        ? result.notifications().containsAll(List.of("backend-down b", "backend-up b"))
                        : result.notes().stream().anyMatch(n -> n.contains("only checks that connections")),
                        result.notifications() + " " + result.notes());
            }
            default -> throw new AssertionError("a scenario without expectations here: " + scenario.name());
        }
    }

    @Test
    void faultsGoWhereAStickyThirdPartyAlgorithmSendsTraffic(Harness harness, @TempDir Path dir) throws Exception {
        FirstEligiblePlugin.buildJar(Files.createDirectories(dir.resolve("plugins.d")));
        Path config = Files.writeString(dir.resolve("sticky.yaml"), """
                listeners: [ { name: sticky, bind: 127.0.0.1:0, pool: app, connect-timeout: 500ms } ]
                pools:
                  app:
                    algorithm: first-eligible
                    backends: [ 127.0.0.1:9001, 127.0.0.1:9002, 127.0.0.1:9003 ]
                    health: { probe: tcp, interval: 100ms, timeout: 100ms, rise: 2, fall: 2 }
                plugins: { dir: plugins.d }
                """);
        ScenarioResult result = new BackendDownHard().run(ScenarioTarget.of(harness.start(config)));
        System.out.println(ScenarioReport.line(result));
        assertTrue(result.passed(), result.failures().toString());
        assertEquals("backend 127.0.0.1:9001: link down (connection refused)", result.fault(),
                "the backend that gets all the traffic is the one faulted");
        assertEquals(List.of("backend-down 127.0.0.1:9001", "backend-up 127.0.0.1:9001"), result.notifications());
    }

    @Test
    void oneBackendWithoutRetriesCannotFailOver(Harness harness) throws Exception {
        TestBed bed = harness.start(LbSpec.tcp().backends(1).connectAttempts(1).connectTimeout(Duration.ofMillis(500))
                .health(Duration.ofMillis(100), 2, 2));
        ScenarioResult result = new BackendDownHard().run(ScenarioTarget.of(bed));
        System.out.println(ScenarioReport.line(result));
        assertFalse(result.passed());
        assertTrue(result.clientErrors() > 0);
        assertTrue(result.failures().stream().anyMatch(f -> f.contains("has one backend, so there is nothing to fail"
                + " over to")), result.failures().toString());
    }

    @Test
    void withoutHealthChecksABackendIsNeverTakenOut(Harness harness) throws Exception {
        TestBed bed = harness.start(LbSpec.tcp().backends(3).connectTimeout(Duration.ofMillis(500)));
        ScenarioResult result = new BackendDownHard().run(ScenarioTarget.of(bed));
        assertEquals(0, result.clientErrors(), "connect retries hide the down backend");
        assertTrue(result.failures().stream().anyMatch(f -> f.contains("has no health check")),
                result.failures().toString());
    }
}

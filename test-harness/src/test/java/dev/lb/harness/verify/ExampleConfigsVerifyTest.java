package dev.lb.harness.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.junit.LoadBalancerTest;
import dev.lb.harness.scenario.Scenarios;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.spi.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped example configuration, verified as a user would with {@code lb verify}: every scenario passes with the
 * example's own (production-paced) health settings. The slowest tests of the module: about a minute per example.
 */
@LoadBalancerTest
@Timeout(240)
class ExampleConfigsVerifyTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyScenarioPasses(Path example, ToxiproxyServer toxiproxy) throws Exception {
        VerifyReport report = VerifierTest.verify(toxiproxy, example, Set.of());
        System.out.print(report.table());
        assertTrue(report.passed(), report.table());
        for (Protocol protocol : Protocol.values()) {
            long listeners = report.results().stream().filter(r -> r.protocol() == protocol).map(r -> r.listener())
                    .distinct().count();
            assertEquals(listeners * Scenarios.forProtocol(protocol).size(),
                    report.results().stream().filter(r -> r.protocol() == protocol).count());
        }
    }
}

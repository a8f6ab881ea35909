package dev.lb.harness.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.junit.LoadBalancerTest;
import dev.lb.harness.scenario.Scenarios;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.plugin.PluginDiscovery;
import dev.lb.spi.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every shipped example configuration, verified as a user would with {@code lb verify}: every scenario passes with the
 * example's own (production-paced) health settings. The examples, and four scenarios of each, run side by side: a
 * scenario mostly waits for health checks (up to half a minute with a 2s interval, or an outlier ejection), and each
 * has its own balancer, backends and proxies.
 */
@LoadBalancerTest
@Timeout(300)
class ExampleConfigsVerifyTest {

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyScenarioPassesOnEveryExample(ToxiproxyServer toxiproxy) throws Exception {
        List<Path> examples = examples();
        assertTrue(examples.size() >= 3, "the examples were found: " + examples);
        List<Future<VerifyReport>> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(examples.size());
        try {
            for (Path example : examples) {
                runs.add(pool.submit(() -> new Verifier(toxiproxy).parallelism(4).verify(example.toString(),
                        new ConfigLoader().parse(example), PluginDiscovery.forRuntime().discover(Optional.empty()))));
            }
            List<String> failed = new ArrayList<>();
            for (Future<VerifyReport> run : runs) {
                VerifyReport report = run.get(4, TimeUnit.MINUTES);
                System.out.print(report.table());
                if (!report.passed()) {
                    failed.add(report.table());
                }
                for (Protocol protocol : Protocol.values()) {
                    long listeners = report.results().stream().filter(r -> r.protocol() == protocol)
                            .map(r -> r.listener()).distinct().count();
                    assertEquals(listeners * Scenarios.forProtocol(protocol).size(),
                            report.results().stream().filter(r -> r.protocol() == protocol).count());
                }
            }
            assertEquals(List.of(), failed);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}

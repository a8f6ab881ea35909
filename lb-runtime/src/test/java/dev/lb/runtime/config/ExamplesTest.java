package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped example in {@code examples/} loads cleanly against the built-in plugins. */
class ExamplesTest {

    /** Surefire runs in the module's folder; the examples sit beside it at the top of the project. */
    private static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleLoads(Path file) throws Exception {
        LbConfig config = TestPlugins.loader().load(file, TestPlugins.catalog());
        assertFalse(config.listeners().isEmpty());
    }

    @Test
    void theShippedExamplesAreThere() throws Exception {
        List<String> names = examples().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(true, names.containsAll(List.of("tcp-round-robin.yaml", "tcp-random.yaml")), names.toString());
        LbConfig roundRobin = TestPlugins.loader().load(EXAMPLES.resolve("tcp-round-robin.yaml"),
                TestPlugins.catalog());
        PoolConfig app = roundRobin.pools().get("app");
        assertEquals("round-robin", app.algorithm().type());
        assertEquals(3, app.backends().size());
        assertEquals("tcp", app.health().probe().type());
        assertEquals("log", roundRobin.notifiers().get(0).plugin().type());
        assertEquals("random", TestPlugins.loader().load(EXAMPLES.resolve("tcp-random.yaml"), TestPlugins.catalog())
                .pools().get("app").algorithm().type());
        LbConfig health = TestPlugins.loader().load(EXAMPLES.resolve("health-and-webhooks.yaml"),
                TestPlugins.catalog());
        PoolConfig pool = health.pools().get("app");
        assertEquals("http", pool.health().probe().type());
        assertEquals(OutlierConfig.defaults(), pool.outlierDetection());
        assertEquals(true, pool.backends().get(2).drain());
        assertEquals("webhook", health.notifiers().get(1).plugin().type());
    }
}

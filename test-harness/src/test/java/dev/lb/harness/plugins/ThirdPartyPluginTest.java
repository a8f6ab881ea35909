package dev.lb.harness.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.plugin.PluginClassLoader;
import dev.lb.runtime.plugin.PluginDiscovery;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import dev.lb.runtime.plugin.PluginListing;
import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginKind;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import dev.lb.spi.testkit.TestPickContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin built in the test against lb-spi only, carrying an older jackson-core than the runtime's, loaded from the
 * plugins directory as a single jar and as a directory: it is listed, isolated, and works.
 */
class ThirdPartyPluginTest {

    /** The built-in algorithms and the plugin's, sorted by name. */
    private static final List<String> ALGORITHMS = List.of("consistent-hash", "first-eligible", "ip-hash",
            "least-connections", "least-response-time", "peak-ewma", "power-of-two-choices", "random", "round-robin",
            "script", "weighted-least-connections", "weighted-random", "weighted-round-robin");

    private static final String RUNTIME_JACKSON = "2.20.1";

    @TempDir
    Path pluginsDir;

    @Test
    void aFatJarPluginIsListedIsolatedAndBalances() throws Exception {
        Path jar = FirstEligiblePlugin.buildJar(pluginsDir);

        PluginCatalog catalog = PluginDiscovery.forRuntime().discover(Optional.of(pluginsDir));
        LoadedPlugin plugin = catalog.find(PluginKind.ALGORITHM, FirstEligiblePlugin.NAME).orElseThrow();

        assertEquals(jar.toString(), plugin.source());
        assertIsolatedAndWorking(catalog, plugin);
        // Embedded: the plugin's jackson-core classes come from the plugin jar itself.
        Class<?> jackson = jacksonPackageVersion(plugin);
        assertEquals(jar.toUri().toURL(), jackson.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void aDirectoryPluginIsListedIsolatedAndBalances() throws Exception {
        Path directory = FirstEligiblePlugin.buildDirectory(pluginsDir);

        PluginCatalog catalog = PluginDiscovery.forRuntime().discover(Optional.of(pluginsDir));
        LoadedPlugin plugin = catalog.find(PluginKind.ALGORITHM, FirstEligiblePlugin.NAME).orElseThrow();

        assertEquals(directory.toString(), plugin.source());
        assertIsolatedAndWorking(catalog, plugin);
        // Beside it: the plugin's jackson-core classes come from the library jar in its directory.
        Class<?> jackson = jacksonPackageVersion(plugin);
        assertEquals(directory.resolve("jackson-core-2.15.4.jar").toUri().toURL(),
                jackson.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void theListingShowsThePluginBesideTheBuiltIns() throws Exception {
        Path jar = FirstEligiblePlugin.buildJar(pluginsDir);

        String listing = PluginListing.format(PluginDiscovery.forRuntime().discover(Optional.of(pluginsDir)));

        List<String> lines = listing.lines().toList();
        assertTrue(lines.getFirst().matches("KIND +NAME +SOURCE +DESCRIPTION"), lines.getFirst());
        String line = lines.stream().filter(l -> l.contains(FirstEligiblePlugin.NAME)).findFirst().orElseThrow();
        assertTrue(line.matches("algorithm +first-eligible +\\Q" + jar + "\\E +always the first eligible backend"
                + " \\(jackson-core 2\\.15\\.4\\)"), line);
        // Sorted by kind then name: the algorithms first, the plugin's among the built-in ones.
        assertEquals(ALGORITHMS, lines.stream().skip(1).takeWhile(l -> l.startsWith("algorithm "))
                .map(l -> l.split(" +")[1]).toList(), listing);
    }

    private static void assertIsolatedAndWorking(PluginCatalog catalog, LoadedPlugin plugin) throws Exception {
        // Built-ins are found once, from the class path, not again through the plugin's loader.
        assertEquals(ALGORITHMS, catalog.names(PluginKind.ALGORITHM));

        // Its own jackson-core, while the runtime keeps its own.
        assertTrue(plugin.description().endsWith("(jackson-core " + FirstEligiblePlugin.JACKSON_VERSION + ")"),
                plugin.description());
        assertEquals(RUNTIME_JACKSON, com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString());
        assertNotSame(com.fasterxml.jackson.core.json.PackageVersion.class, jacksonPackageVersion(plugin));

        // Its classes come from its own class loader, which shares the SPI and nothing else of the runtime.
        ClassLoader loader = plugin.provider().getClass().getClassLoader();
        assertInstanceOf(PluginClassLoader.class, loader);
        assertSame(AlgorithmProvider.class, Class.forName(AlgorithmProvider.class.getName(), false, loader));
        for (String hidden : List.of("dev.lb.runtime.plugin.PluginCatalog", "com.google.inject.Guice",
                "io.netty.channel.Channel", "dev.lb.plugins.algorithms.RoundRobinProvider")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(hidden, false, loader), hidden);
        }

        // And it balances.
        TestBackend a = TestBackend.onPort("a", 9001);
        TestBackend b = TestBackend.onPort("b", 9002);
        TestBackend c = TestBackend.onPort("c", 9003);
        MapPluginConfig config = MapPluginConfig.at("pools.app.algorithm", Map.of());
        try (Algorithm algorithm = plugin.as(AlgorithmProvider.class).create(config)) {
            assertSame(b, algorithm.newPicker(PoolSnapshot.of("app", List.of(a, b, c), List.of(b, c)))
                    .pick(TestPickContext.tcp()));
            assertSame(a, algorithm.newPicker(PoolSnapshot.of("app", List.of(a, b, c), List.of(a, b, c)))
                    .pick(TestPickContext.tcp()));
            assertEquals(null, algorithm.newPicker(PoolSnapshot.of("app", List.of(a), List.of()))
                    .pick(TestPickContext.tcp()));
        }
    }

    private static Class<?> jacksonPackageVersion(LoadedPlugin plugin) throws ClassNotFoundException {
        return Class.forName("com.fasterxml.jackson.core.json.PackageVersion", false,
                plugin.provider().getClass().getClassLoader());
    }

    @Test
    void aCorruptJarIsReported() throws Exception {
        Path corrupt = Files.writeString(pluginsDir.resolve("half-downloaded.jar"), "<html>502 Bad Gateway</html>");
        String problem = onlyProblem();
        assertTrue(problem.startsWith("plugin jar " + corrupt + " is not a valid jar file ("), problem);
        assertTrue(problem.endsWith(": replace it with the plugin's jar as built, or remove it from the plugins"
                + " directory"), problem);
    }

    @Test
    void aMissingProviderClassIsReported() {
        Path jar = PluginJarBuilder.create()
                .service(AlgorithmProvider.class, "com.example.lb.Misspelled")
                .buildJar(pluginsDir.resolve("typo.jar"));
        assertEquals("plugin jar " + jar + ": cannot load algorithm provider: Provider com.example.lb.Misspelled not"
                + " found: the class named in META-INF/services/dev.lb.spi.AlgorithmProvider is not in the plugin's"
                + " jars; correct the name or add the class", onlyProblem());
    }

    @Test
    void aJarWithoutProviderIsReported() {
        Path jar = PluginJarBuilder.create()
                .source("com.example.lb.Helper", "package com.example.lb; public final class Helper {}")
                .buildJar(pluginsDir.resolve("forgot-services.jar"));
        assertEquals("plugin jar " + jar + " registers no plugin: list its provider class in"
                + " META-INF/services/dev.lb.spi.AlgorithmProvider, META-INF/services/dev.lb.spi.HealthProbeProvider,"
                + " META-INF/services/dev.lb.spi.NotifierProvider, or remove it from the plugins directory",
                onlyProblem());
    }

    @Test
    void aNameClashWithABuiltInIsReportedWithBothSources() throws Exception {
        Path jar = PluginJarBuilder.create()
                .source("com.example.lb.MyRoundRobin", """
                        package com.example.lb;
                        import dev.lb.spi.*;
                        public final class MyRoundRobin implements AlgorithmProvider {
                            public String name() { return "round-robin"; }
                            public String description() { return "mine"; }
                            public Algorithm create(PluginConfig config) { return snapshot -> context -> null; }
                        }
                        """)
                .service(AlgorithmProvider.class, "com.example.lb.MyRoundRobin")
                .buildJar(pluginsDir.resolve("my-round-robin.jar"));
        String builtIn = PluginDiscovery.forRuntime().discover(Optional.empty())
                .find(PluginKind.ALGORITHM, "round-robin").orElseThrow().source();
        assertTrue(builtIn.startsWith("built-in ("), builtIn);

        assertEquals("2 algorithm plugins are named \"round-robin\": " + builtIn + " and " + jar + "; remove all but"
                + " one from the plugins directory, or rename the third-party one", onlyProblem());
    }

    private String onlyProblem() {
        PluginDiscoveryException error = assertThrows(PluginDiscoveryException.class,
                () -> PluginDiscovery.forRuntime().discover(Optional.of(pluginsDir)));
        assertEquals(1, error.problems().size(), error.getMessage());
        return error.problems().getFirst();
    }
}

package dev.lb.runtime.plugin;

import static dev.lb.runtime.plugin.TestJars.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.runtime.plugin.fixtures.FixtureLibrary;
import dev.lb.runtime.plugin.fixtures.LibraryBackedProvider;
import dev.lb.runtime.plugin.fixtures.NoNoArgConstructorProvider;
import dev.lb.runtime.plugin.fixtures.ThrowingConstructorProvider;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {

    private static final String LIBRARY_BACKED = LibraryBackedProvider.class.getName();

    @TempDir
    Path dir;

    private final PluginDiscovery discovery = PluginDiscovery.forRuntime();

    @Test
    void findsTheBuiltInPluginsOnTheClassPathWithTheirSource() throws Exception {
        PluginCatalog catalog = discovery.discover(Optional.empty());

        assertEquals(List.of("consistent-hash", "ip-hash", "least-connections", "least-response-time", "peak-ewma",
                "power-of-two-choices", "random", "round-robin", "weighted-least-connections", "weighted-random",
                "weighted-round-robin"), catalog.names(PluginKind.ALGORITHM));
        assertTrue(catalog.names(PluginKind.HEALTH_PROBE).contains("tcp"));
        assertTrue(catalog.names(PluginKind.NOTIFIER).contains("log"));
        LoadedPlugin roundRobin = catalog.find(PluginKind.ALGORITHM, "round-robin").orElseThrow();
        assertEquals(RoundRobinProvider.class, roundRobin.provider().getClass());
        // From a reactor build the plugin is a classes directory, from a distribution its jar.
        assertTrue(roundRobin.source().matches("built-in \\(.*(algorithms.target.classes|lb-plugin-algorithms-.*\\.jar)\\)"),
                roundRobin.source());
        assertInstanceOf(AlgorithmProvider.class, roundRobin.as(AlgorithmProvider.class));
    }

    @Test
    void anEmptyPluginsDirectoryAddsNothing() throws Exception {
        assertEquals(discovery.discover(Optional.empty()).names(PluginKind.ALGORITHM),
                discovery.discover(Optional.of(dir)).names(PluginKind.ALGORITHM));
    }

    @Test
    void aMissingPluginsDirectoryIsAnError() {
        Path missing = Path.of("./plugins.d");
        PluginDiscoveryException error =
                assertThrows(PluginDiscoveryException.class, () -> discovery.discover(Optional.of(missing)));
        assertEquals(1, error.problems().size());
        assertTrue(error.getMessage().startsWith("plugins directory ./plugins.d does not exist: "), error.getMessage());
    }

    @Test
    void aPluginDirectoryIsOnePluginMadeOfAllItsJars() throws Exception {
        Path plugin = dir.resolve("library-backed");
        jar().withClass(LibraryBackedProvider.class).withService(PluginKind.ALGORITHM, LIBRARY_BACKED)
                .writeTo(plugin.resolve("plugin.jar"));
        jar().withClass(FixtureLibrary.class).writeTo(plugin.resolve("library.jar"));
        Files.writeString(dir.resolve("README.txt"), "not a plugin: skipped");

        LoadedPlugin found = discovery.discover(Optional.of(dir))
                .find(PluginKind.ALGORITHM, "library-backed").orElseThrow();

        assertEquals(plugin.toString(), found.source());
        ClassLoader loader = found.provider().getClass().getClassLoader();
        assertInstanceOf(PluginClassLoader.class, loader);
        assertNotSame(LibraryBackedProvider.class, found.provider().getClass());
        // The library class came from the plugin's own loader, not from the test class path.
        assertEquals("library loaded by library-backed for LibraryBackedProvider", found.description());
    }

    @Test
    void aJarPluginIsListedWithItsPath() throws Exception {
        Path plugin = dir.resolve("library-backed.jar");
        jar().withClass(LibraryBackedProvider.class).withClass(FixtureLibrary.class)
                .withService(PluginKind.ALGORITHM, LIBRARY_BACKED).writeTo(plugin);

        LoadedPlugin found = discovery.discover(Optional.of(dir))
                .find(PluginKind.ALGORITHM, "library-backed").orElseThrow();

        assertEquals(plugin.toString(), found.source());
        assertEquals("library loaded by library-backed.jar for LibraryBackedProvider", found.description());
    }

    @Test
    void aCorruptJarIsNamed() throws IOException {
        Path corrupt = Files.write(dir.resolve("corrupt.jar"), new byte[] {'P', 'K', 3, 4, 'b', 'r', 'o', 'k', 'e'});
        String problem = onlyProblem();
        assertTrue(problem.startsWith("plugin jar " + corrupt + " is not a valid jar file ("), problem);
        assertTrue(problem.endsWith("replace it with the plugin's jar as built, or remove it from the plugins directory"),
                problem);
    }

    @Test
    void aCorruptLibraryOfAPluginDirectoryIsNamedWithItsDirectory() throws IOException {
        Path plugin = dir.resolve("with-broken-lib");
        jar().withClass(LibraryBackedProvider.class).withService(PluginKind.ALGORITHM, LIBRARY_BACKED)
                .writeTo(plugin.resolve("plugin.jar"));
        Path library = Files.writeString(plugin.resolve("library.jar"), "truncated");
        String problem = onlyProblem();
        assertTrue(problem.startsWith("plugin directory " + plugin + ": " + library + " is not a valid jar file ("),
                problem);
    }

    @Test
    void aJarWithoutProviderIsAnError() {
        Path empty = jar().withEntry("readme.txt", "no services here").writeTo(dir.resolve("empty.jar"));
        assertEquals("plugin jar " + empty + " registers no plugin: list its provider class in"
                + " META-INF/services/dev.lb.spi.AlgorithmProvider, META-INF/services/dev.lb.spi.HealthProbeProvider,"
                + " META-INF/services/dev.lb.spi.NotifierProvider, or remove it from the plugins directory",
                onlyProblem());
    }

    @Test
    void aDirectoryWithoutJarIsAnError() throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("half-copied"));
        Files.writeString(plugin.resolve("notes.txt"), "x");
        assertEquals("plugin directory " + plugin + " holds no jar file: put the plugin jar and its library jars in"
                + " it, or remove the directory", onlyProblem());
    }

    @Test
    void aMissingProviderClassIsNamed() {
        Path plugin = jar().withService(PluginKind.ALGORITHM, "com.example.Missing").writeTo(dir.resolve("m.jar"));
        assertEquals("plugin jar " + plugin + ": cannot load algorithm provider: Provider com.example.Missing not"
                + " found: the class named in META-INF/services/dev.lb.spi.AlgorithmProvider is not in the plugin's"
                + " jars; correct the name or add the class", onlyProblem());
    }

    @Test
    void aClassThatIsNotAProviderIsNamed() {
        Path plugin = jar().withClass(FixtureLibrary.class)
                .withService(PluginKind.NOTIFIER, FixtureLibrary.class.getName()).writeTo(dir.resolve("n.jar"));
        String problem = onlyProblem();
        assertTrue(problem.startsWith("plugin jar " + plugin + ": cannot load notifier provider: "), problem);
        assertTrue(problem.endsWith("must implement dev.lb.spi.NotifierProvider"), problem);
    }

    @Test
    void aProviderWithoutNoArgConstructorIsNamed() {
        String name = NoNoArgConstructorProvider.class.getName();
        jar().withClass(NoNoArgConstructorProvider.class).withService(PluginKind.ALGORITHM, name)
                .writeTo(dir.resolve("c.jar"));
        assertEquals("plugin jar " + dir.resolve("c.jar") + ": cannot load algorithm provider: Provider " + name
                + " has no public no-argument constructor: a provider must be a public class with a public"
                + " no-argument constructor", onlyProblem());
    }

    @Test
    void aProviderWhoseConstructorThrowsIsNamedWithTheCause() {
        String name = ThrowingConstructorProvider.class.getName();
        jar().withClass(ThrowingConstructorProvider.class).withService(PluginKind.ALGORITHM, name)
                .writeTo(dir.resolve("t.jar"));
        String problem = onlyProblem();
        assertTrue(problem.contains("Provider " + name + " could not be instantiated: its constructor threw"
                + " java.lang.IllegalStateException: cannot read /etc/fixture.conf;"), problem);
    }

    @Test
    void aNameClashWithABuiltInNamesBothSources() throws Exception {
        Path copy = jar().withClass(RoundRobinProvider.class)
                .withService(PluginKind.ALGORITHM, RoundRobinProvider.class.getName())
                .writeTo(dir.resolve("my-round-robin.jar"));
        String builtIn = discovery.discover(Optional.empty())
                .find(PluginKind.ALGORITHM, "round-robin").orElseThrow().source();
        assertEquals("2 algorithm plugins are named \"round-robin\": " + builtIn + " and " + copy + "; remove all but"
                + " one from the plugins directory, or rename the third-party one", onlyProblem());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Files.write(dir.resolve("a-corrupt.jar"), new byte[] {1, 2, 3});
        jar().withEntry("x.txt", "x").writeTo(dir.resolve("b-empty.jar"));
        jar().withService(PluginKind.HEALTH_PROBE, "com.example.Gone", "com.example.AlsoGone")
                .writeTo(dir.resolve("c-missing.jar"));

        PluginDiscoveryException error =
                assertThrows(PluginDiscoveryException.class, () -> discovery.discover(Optional.of(dir)));

        assertEquals(4, error.problems().size(), error.getMessage());
        assertTrue(error.getMessage().startsWith("4 problems loading plugins:\n  - "), error.getMessage());
        assertTrue(error.problems().get(2).contains("com.example.Gone not found"));
        assertTrue(error.problems().get(3).contains("com.example.AlsoGone not found"));
    }

    private String onlyProblem() {
        PluginDiscoveryException error =
                assertThrows(PluginDiscoveryException.class, () -> discovery.discover(Optional.of(dir)));
        assertEquals(1, error.problems().size(), error.getMessage());
        assertEquals(error.problems().getFirst(), error.getMessage());
        return error.problems().getFirst();
    }
}

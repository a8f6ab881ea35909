package dev.lb.runtime.plugin;

import static dev.lb.runtime.plugin.TestJars.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginKind;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class PluginClassLoaderTest {

    @TempDir
    Path dir;

    private Path pluginJar;
    private PluginClassLoader loader;

    @BeforeEach
    void openLoader() throws Exception {
        // A plugin jar holding a copy of a built-in provider and, wrongly, a copy of an SPI interface.
        pluginJar = jar().withClass(RoundRobinProvider.class).withClass(AlgorithmProvider.class)
                .withService(PluginKind.ALGORITHM, RoundRobinProvider.class.getName())
                .writeTo(dir.resolve("plugin.jar"));
        loader = new PluginClassLoader("plugin.jar", List.of(pluginJar.toUri().toURL()), getClass().getClassLoader());
    }

    @AfterEach
    void closeLoader() throws Exception {
        loader.close();
    }

    @Test
    void pluginClassesAreDefinedByThePluginLoader() throws Exception {
        Class<?> copy = loader.loadClass(RoundRobinProvider.class.getName());
        assertSame(loader, copy.getClassLoader());
        assertNotSame(RoundRobinProvider.class, copy);
        // ...and still implement the runtime's SPI type, which is what makes them usable.
        assertTrue(AlgorithmProvider.class.isAssignableFrom(copy));
    }

    @Test
    void spiAndSlf4jAreTheRuntimesEvenWhenThePluginEmbedsACopy() throws Exception {
        assertSame(AlgorithmProvider.class, loader.loadClass(AlgorithmProvider.class.getName()));
        assertSame(Logger.class, loader.loadClass(Logger.class.getName()));
        URL spiClassFile = loader.getResource("dev/lb/spi/AlgorithmProvider.class");
        assertEquals(getClass().getClassLoader().getResource("dev/lb/spi/AlgorithmProvider.class"), spiClassFile);
    }

    @Test
    void theJdkIsVisible() throws Exception {
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertSame(java.sql.Connection.class, loader.loadClass("java.sql.Connection"));
    }

    @Test
    void runtimeInternalsAndItsLibrariesAreInvisible() {
        for (String hidden : List.of(PluginCatalog.class.getName(), "com.google.inject.Guice",
                "com.fasterxml.jackson.core.JsonFactory", "io.netty.channel.Channel")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(hidden, false, loader), hidden);
        }
        assertNull(loader.getResource("dev/lb/runtime/plugin/PluginCatalog.class"));
    }

    @Test
    void serviceFilesAreThePluginsOnly() throws Exception {
        List<URL> services = Collections.list(loader.getResources("META-INF/services/dev.lb.spi.AlgorithmProvider"));
        assertEquals(1, services.size(), services.toString());
        assertTrue(services.getFirst().toString().contains(pluginJar.getFileName().toString()));
    }
}

package dev.lb.harness.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.NotifierProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginJarBuilderTest {

    @TempDir
    Path dir;

    @Test
    void aFatJarMergesServicesAndLeavesOutLibraryMetadata() throws Exception {
        Path jar = FirstEligiblePlugin.builder()
                .service(NotifierProvider.class, "com.example.lb.NotReal")
                .resource("com/example/lb/defaults.properties", "x=1")
                .buildFatJar(dir.resolve("fat.jar"));

        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals(PluginJarBuilder.class.getName(),
                    file.getManifest().getMainAttributes().getValue("Created-By"));
            assertEquals(FirstEligiblePlugin.PROVIDER_CLASS + "\n", read(file, "META-INF/services/"
                    + AlgorithmProvider.class.getName()));
            assertEquals("com.example.lb.NotReal\n", read(file, "META-INF/services/"
                    + NotifierProvider.class.getName()));
            // jackson-core's own service registration survives the merge.
            assertTrue(read(file, "META-INF/services/com.fasterxml.jackson.core.JsonFactory")
                    .contains("com.fasterxml.jackson.core.JsonFactory"));
            assertEquals("x=1", read(file, "com/example/lb/defaults.properties"));
            assertTrue(file.getEntry("com/fasterxml/jackson/core/json/PackageVersion.class") != null);
            assertFalse(file.stream().anyMatch(e -> e.getName().endsWith("module-info.class")));
        }
    }

    @Test
    void aDirectoryHoldsThePluginJarAndItsLibraries() throws Exception {
        Path directory = FirstEligiblePlugin.buildDirectory(dir);
        try (var files = Files.list(directory)) {
            assertEquals(List.of("first-eligible.jar", "jackson-core-2.15.4.jar"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        try (JarFile plugin = new JarFile(directory.resolve("first-eligible.jar").toFile())) {
            assertTrue(plugin.getEntry("com/example/lb/FirstEligibleProvider.class") != null);
            assertTrue(plugin.getEntry("com/fasterxml/jackson/core/json/PackageVersion.class") == null);
        }
    }

    @Test
    void compileErrorsAreReportedWithFileAndLine() {
        PluginJarBuilder builder = PluginJarBuilder.create()
                .source("com.example.Broken", "package com.example;\npublic class Broken { int x = \"text\"; }\n");
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> builder.buildJar(dir.resolve("broken.jar")));
        assertTrue(error.getMessage().startsWith("plugin sources do not compile:\n"), error.getMessage());
        assertTrue(error.getMessage().contains("Broken.java:2: "), error.getMessage());
    }

    @Test
    void pluginsCompileAgainstTheSpiOnlyNotTheRuntime() {
        PluginJarBuilder builder = PluginJarBuilder.create().source("com.example.Peeks", """
                package com.example;
                public class Peeks { Object catalog = dev.lb.runtime.plugin.PluginCatalog.class; }
                """);
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> builder.buildJar(dir.resolve("peeks.jar")));
        assertTrue(error.getMessage().contains("dev.lb.runtime.plugin"), error.getMessage());
    }

    private static String read(JarFile file, String name) throws Exception {
        return new String(file.getInputStream(file.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
    }
}

package dev.lb.harness.plugins;

import dev.lb.spi.AlgorithmProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party plugin of the plugin tests, reusable by end-to-end tests: an algorithm named {@value #NAME} that
 * always picks the first eligible backend, built against lb-spi only and carrying its own jackson-core at
 * {@value #JACKSON_VERSION}, older than the runtime's. Its description ends with the jackson-core version it sees,
 * e.g. {@code (jackson-core 2.15.4)}, which shows which copy of the library it was linked with.
 *
 * <p>The old jackson-core is put in {@code target/test-libs} by the maven-dependency-plugin at the
 * {@code generate-test-resources} phase (see this module's pom).
 */
public final class FirstEligiblePlugin {

    /** The algorithm's name in configuration. */
    public static final String NAME = "first-eligible";

    /** The jackson-core version the plugin carries. */
    public static final String JACKSON_VERSION = "2.15.4";

    /** The provider's class name. */
    public static final String PROVIDER_CLASS = "com.example.lb.FirstEligibleProvider";

    private static final String PROVIDER_SOURCE = """
            package com.example.lb;

            import com.fasterxml.jackson.core.json.PackageVersion;
            import dev.lb.spi.Algorithm;
            import dev.lb.spi.AlgorithmProvider;
            import dev.lb.spi.Backend;
            import dev.lb.spi.PluginConfig;
            import java.util.List;
            import org.slf4j.Logger;
            import org.slf4j.LoggerFactory;

            public final class FirstEligibleProvider implements AlgorithmProvider {
                private static final Logger log = LoggerFactory.getLogger(FirstEligibleProvider.class);

                @Override
                public String name() {
                    return "first-eligible";
                }

                @Override
                public String description() {
                    return "always the first eligible backend (jackson-core " + PackageVersion.VERSION + ")";
                }

                @Override
                public Algorithm create(PluginConfig config) {
                    log.debug("first-eligible for {}", config.path());
                    return snapshot -> {
                        List<Backend> eligible = snapshot.eligible();
                        Backend first = eligible.isEmpty() ? null : eligible.getFirst();
                        return context -> first;
                    };
                }
            }
            """;

    private FirstEligiblePlugin() {
    }

    /** The plugin's sources and service registration, with the old jackson-core as its library. */
    public static PluginJarBuilder builder() {
        return PluginJarBuilder.create()
                .source(PROVIDER_CLASS, PROVIDER_SOURCE)
                .service(AlgorithmProvider.class, PROVIDER_CLASS)
                .library(jacksonCoreJar());
    }

    /** Writes the plugin as one jar with jackson-core embedded: {@code pluginsDir/first-eligible.jar}. */
    public static Path buildJar(Path pluginsDir) {
        return builder().buildFatJar(pluginsDir.resolve(NAME + ".jar"));
    }

    /** Writes the plugin as a directory {@code pluginsDir/first-eligible/} holding its jar and jackson-core's. */
    public static Path buildDirectory(Path pluginsDir) {
        return builder().buildDirectory(pluginsDir.resolve(NAME), NAME + ".jar");
    }

    /** The old jackson-core jar, copied by the build into {@code target/test-libs}. */
    public static Path jacksonCoreJar() {
        Path jar = Path.of(System.getProperty("lb.test.libs", "target/test-libs"),
                "jackson-core-" + JACKSON_VERSION + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the test-harness build through"
                    + " Maven (its generate-test-resources phase copies it), e.g. ./mvnw -pl test-harness -am test");
        }
        return jar;
    }
}

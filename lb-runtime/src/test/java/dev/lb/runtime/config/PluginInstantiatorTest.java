package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginKind;
import dev.lb.spi.PoolSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginInstantiatorTest {

    private final PluginInstantiator instantiator = new PluginInstantiator(TestPlugins.catalog());

    private static List<String> texts(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void createsAWorkingPluginFromJavaValues() throws Exception {
        PluginSpec spec = new PluginSpec(PluginKind.ALGORITHM, "round-robin", ConfigMap.empty("pools.app.algorithm"));
        try (Algorithm algorithm = instantiator.algorithm(spec)) {
            assertNotNull(algorithm.newPicker(PoolSnapshot.of("app", List.<Backend>of(), List.<Backend>of())));
        }
        PluginSpec weighted = new PluginSpec(PluginKind.ALGORITHM, "weighted",
                ConfigMap.of("pools.app.algorithm", Map.of("smoothing", 5)));
        assertEquals(List.of(), instantiator.check(weighted));
        assertNotNull(instantiator.healthProbe(new PluginSpec(PluginKind.HEALTH_PROBE, "tcp",
                ConfigMap.of("pools.app.health.probe", Map.of("send", "ping")))));
        assertNotNull(instantiator.notifier(new PluginSpec(PluginKind.NOTIFIER, "log", ConfigMap.empty("n"))));
    }

    @Test
    void eachCreationReadsAFreshCopy() throws Exception {
        ConfigMap settings = ConfigMap.of("pools.app.algorithm", Map.of("smoothing", 5));
        PluginSpec spec = new PluginSpec(PluginKind.ALGORITHM, "weighted", settings);
        instantiator.algorithm(spec).close();
        instantiator.algorithm(spec).close();
        assertEquals(List.of("smoothing"), settings.unreadKeys(), "the spec's own settings are never marked read");
    }

    @Test
    void problemsWithoutAFileHavePathsOnly() {
        PluginSpec unknown = new PluginSpec(PluginKind.ALGORITHM, "least-conn", ConfigMap.empty("pools.app.algorithm"));
        ConfigException e = assertThrows(ConfigException.class, () -> instantiator.algorithm(unknown));
        assertEquals("pools.app.algorithm.type: unknown algorithm \"least-conn\" (known: random, round-robin,"
                + " weighted)", e.getMessage());
        PluginSpec extra = new PluginSpec(PluginKind.ALGORITHM, "weighted",
                ConfigMap.of("pools.app.algorithm", Map.of("smothing", 5)));
        assertEquals(List.of("pools.app.algorithm.smothing: unknown key \"smothing\" (did you mean \"smoothing\"?"
                + " known: smoothing, mode, warmup)"), texts(instantiator.check(extra)));
    }

    @Test
    void aCrashingOrEmptyProviderIsAProblemNotACrash() {
        AlgorithmProvider crashing = new AlgorithmProvider() {
            @Override
            public String name() {
                return "crashing";
            }

            @Override
            public String description() {
                return "throws";
            }

            @Override
            public Algorithm create(PluginConfig config) {
                throw new IllegalStateException("boom");
            }
        };
        AlgorithmProvider empty = new AlgorithmProvider() {
            @Override
            public String name() {
                return "empty";
            }

            @Override
            public String description() {
                return "returns null";
            }

            @Override
            public Algorithm create(PluginConfig config) {
                return null;
            }
        };
        PluginInstantiator plugins = new PluginInstantiator(PluginCatalog.of(List.of(
                new LoadedPlugin(PluginKind.ALGORITHM, crashing, "crash.jar"),
                new LoadedPlugin(PluginKind.ALGORITHM, empty, "empty.jar"))));
        assertEquals(List.of("p.type: the crashing algorithm (crash.jar) failed to start:"
                        + " java.lang.IllegalStateException: boom"),
                texts(plugins.check(new PluginSpec(PluginKind.ALGORITHM, "crashing", ConfigMap.empty("p")))));
        assertEquals(List.of("p.type: the empty algorithm (empty.jar) created nothing: a bug in the plugin"),
                texts(plugins.check(new PluginSpec(PluginKind.ALGORITHM, "empty", ConfigMap.empty("p")))));
    }

    @Test
    void noPluginsOfAKind() {
        PluginInstantiator none = new PluginInstantiator(PluginCatalog.of(List.of()));
        assertEquals(List.of("n.type: unknown notifier \"log\" (known: none)"),
                texts(none.check(new PluginSpec(PluginKind.NOTIFIER, "log", ConfigMap.empty("n")))));
    }

    @Test
    void aSpecOfAnotherKindIsAProgrammingError() {
        PluginSpec probe = new PluginSpec(PluginKind.HEALTH_PROBE, "tcp", ConfigMap.empty("p"));
        assertThrows(IllegalArgumentException.class, () -> instantiator.algorithm(probe));
    }
}

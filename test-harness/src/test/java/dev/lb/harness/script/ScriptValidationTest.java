package dev.lb.harness.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.script.ScriptProvider;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.spi.PluginKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken policy fails the configuration as {@code lb validate} loads it: the YAML location of {@code file:}, then
 * the script's own {@code file.js:line:column}.
 */
class ScriptValidationTest {

    private static final PluginCatalog CATALOG = PluginCatalog.of(List.of(
            new LoadedPlugin(PluginKind.ALGORITHM, new ScriptProvider(), "test"),
            new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "test")));

    @TempDir
    Path dir;

    private Path config(Path script, String extra) throws Exception {
        Path yaml = dir.resolve("lb.yaml");
        Files.writeString(yaml, "listeners:\n"
                + "  - { name: web, protocol: http, bind: 127.0.0.1:0, pool: app }\n"
                + "pools:\n"
                + "  app:\n"
                + "    algorithm:\n"
                + "      type: script\n"
                + "      file: " + script + "\n"
                + extra
                + "    backends:\n"
                + "      - { name: a, address: 127.0.0.1:9001 }\n");
        return yaml;
    }

    @Test
    void aSyntaxErrorIsLocatedInTheConfigAndInTheScript() throws Exception {
        Path script = dir.resolve("bad.js");
        Files.writeString(script, "export function pick(request, backends) {\n  return backends[0;\n}\n");
        Path yaml = config(script, "");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(yaml, CATALOG));
        assertEquals(1, e.problems().size(), e.getMessage());
        String message = e.problems().get(0).toString();
        assertTrue(message.startsWith(yaml + ":7:13: pools.app.algorithm.file: " + script + ":2:"), message);
        assertTrue(message.contains("syntax error"), message);
    }

    @Test
    void aFailingInitIsLocatedAndAGoodPolicyLoads() throws Exception {
        Path script = ScriptedLb.EXAMPLES.resolve("canary.js");
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(config(script, "      config: { percent: 5 }\n"), CATALOG));
        assertTrue(e.getMessage().contains("canary.js:10:") && e.getMessage().contains("config.canary must name"),
                e.getMessage());
        new ConfigLoader().load(config(script, "      config: { canary: a, percent: 5 }\n"), CATALOG);
    }

    @Test
    void anUnknownSettingIsReported() throws Exception {
        Path script = ScriptedLb.EXAMPLES.resolve("path.js");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(
                config(script, "      config: { routes: { \"/\": a } }\n      time-budgte: 5ms\n"), CATALOG));
        assertTrue(e.getMessage().contains("time-budgte"), e.getMessage());
    }

    @Test
    void badMemorySettingsAreLocatedAtTheirValues() throws Exception {
        Path script = dir.resolve("first.js");
        Files.writeString(script, "export function pick(request, backends) { return backends[0]; }\n");
        Path spaced = config(script, "      allocation-limit: 4 MB\n");
        String message = assertThrows(ConfigException.class, () -> new ConfigLoader().load(spaced, CATALOG))
                .problems().get(0).toString();
        assertTrue(message.startsWith(spaced + ":8:25: pools.app.algorithm.allocation-limit: expected a size such as "
                + "512KiB, 4MiB or 1GiB"), message);

        Path below = config(script, "      recycle-after: 2MiB\n");
        message = assertThrows(ConfigException.class, () -> new ConfigLoader().load(below, CATALOG))
                .problems().get(0).toString();
        assertEquals(below + ":8:22: pools.app.algorithm.recycle-after: must be at least allocation-limit (8MiB), "
                + "was 2MiB", message);

        new ConfigLoader().load(config(script, "      allocation-limit: 2MiB\n      recycle-after: 64MiB\n"), CATALOG);
    }

    @Test
    void aRelativeScriptPathIsFoundBesideTheConfigFileAndNamedAsWritten() throws Exception {
        // The tests run elsewhere (the module's folder): only resolution against the config's folder finds it.
        Files.createDirectory(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/first.js"),
                "export function pick(request, backends) {\n  return backends[0];\n}\n");
        Files.writeString(dir.resolve("policies/bad.js"), "export function pick(request, backends) {\n  return (;\n}\n");
        new ConfigLoader().load(config(Path.of("policies/first.js"), ""), CATALOG);

        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().load(config(Path.of("policies/bad.js"), ""), CATALOG));
        String message = e.problems().get(0).toString();
        assertTrue(message.contains("pools.app.algorithm.file: policies/bad.js:2:"), message);
    }
}

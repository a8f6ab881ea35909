package dev.lb.plugins.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.PluginConfigException;
import dev.lb.spi.testkit.MapPluginConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors found when a policy is loaded fail creation (so {@code lb validate}) with {@code file:line:column}. */
class ScriptLoadTest {

    @TempDir
    Path dir;

    private PluginConfigException loadFails(String script) throws Exception {
        Path file = Scripts.write(dir, "policy.js", script);
        return assertThrows(PluginConfigException.class, () -> Scripts.algorithm(file));
    }

    @Test
    void syntaxErrorIsLocated() throws Exception {
        PluginConfigException e = loadFails("export function pick(request, backends) {\n  return backends[0;\n}\n");
        assertEquals("file", e.key());
        assertTrue(e.getMessage().startsWith(dir.resolve("policy.js") + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    }

    @Test
    void syntaxErrorGivesOneLocationCountedFromOne() throws Exception {
        // The stray ';' is at line 2, column 15; GraalVM's own message would add a second, 0-based location.
        PluginConfigException e = loadFails("export function pick(request, backends) {\n  return 'a' +;\n}\n");
        assertTrue(e.getMessage().startsWith(dir.resolve("policy.js") + ":2:15: syntax error: "), e.getMessage());
        assertFalse(e.getMessage().contains("SyntaxError:"), e.getMessage());
    }

    @Test
    void missingPickIsReported() throws Exception {
        PluginConfigException e = loadFails("export function choose(request, backends) { return 0; }\n");
        assertTrue(e.getMessage().contains("policy.js:1:1: the policy must export a function pick"), e.getMessage());
    }

    @Test
    void pickThatIsNotAFunctionIsReported() throws Exception {
        PluginConfigException e = loadFails("export const pick = 3;\n");
        assertTrue(e.getMessage().contains("must export a function pick"), e.getMessage());
    }

    @Test
    void errorWhileLoadingIsLocated() throws Exception {
        PluginConfigException e = loadFails("const x = 1;\nundefinedThing.call();\nexport function pick() { return 0; }\n");
        assertTrue(e.getMessage().contains("policy.js:2:1: error while loading"), e.getMessage());
    }

    @Test
    void initFailureIsLocatedAndSeesTheConfig() throws Exception {
        Path file = Scripts.write(dir, "policy.js", "export function init(config) {\n"
                + "  if (config.percent > 100) throw new Error('percent too big: ' + config.percent);\n}\n"
                + "export function pick() { return 0; }\n");
        PluginConfigException e = assertThrows(PluginConfigException.class,
                () -> Scripts.algorithm(file, "config", Map.of("percent", "150")));
        assertTrue(e.getMessage().contains("policy.js:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("percent too big: 150"), e.getMessage());
        // The same policy loads when its config is right.
        Scripts.algorithm(file, "config", Map.of("percent", "5")).close();
    }

    @Test
    void loadingThatAllocatesMoreThanRecycleAfterIsRefused() throws Exception {
        // A statement limit too high to matter: only the load guard can stop these.
        Path init = Scripts.write(dir, "init.js", "export function init(config) {\n"
                + "  globalThis.table = [];\n"
                + "  for (let i = 0; i < 30000000; i++) table.push(i + 0.5);\n}\n"
                + "export function pick() { return 0; }\n");
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> Scripts.algorithm(init,
                "recycle-after", "16MiB", "allocation-limit", "1MiB", "statement-limit", "100000000"));
        assertEquals("file", e.key());
        assertTrue(e.getMessage().contains("init.js:3:") && e.getMessage().contains(
                "loading the policy (its top-level code and init) allocated more than recycle-after 16MiB"),
                e.getMessage());

        Path topLevel = Scripts.write(dir, "top.js", "const table = [];\n"
                + "for (let i = 0; i < 30000000; i++) table.push(i + 0.5);\n"
                + "export function pick() { return table.length > 0 ? 0 : 1; }\n");
        e = assertThrows(PluginConfigException.class, () -> Scripts.algorithm(topLevel,
                "recycle-after", "16MiB", "allocation-limit", "1MiB", "statement-limit", "100000000"));
        assertTrue(e.getMessage().contains("top.js:") && e.getMessage().contains("allocated more than"),
                e.getMessage());

        // A table that fits is fine.
        Path small = Scripts.write(dir, "small.js", "const table = new Array(1000).fill(1.5);\n"
                + "export function pick() { return table.length > 0 ? 0 : 1; }\n");
        Scripts.algorithm(small, "recycle-after", "16MiB", "allocation-limit", "1MiB").close();
    }

    @Test
    void missingFileSaysWhere() {
        PluginConfigException e = assertThrows(PluginConfigException.class,
                () -> Scripts.algorithm(dir.resolve("nope.js")));
        assertTrue(e.getMessage().contains("nope.js: cannot read the policy file"), e.getMessage());
    }

    @Test
    void settingsAreChecked() throws Exception {
        Path file = Scripts.write(dir, "policy.js", "export function pick() { return 0; }\n");
        ScriptProvider provider = new ScriptProvider();
        assertEquals("fallback", assertThrows(PluginConfigException.class, () -> provider.create(
                MapPluginConfig.of("file", file.toString(), "fallback", "least-conn"))).key());
        assertEquals("time-budget", assertThrows(PluginConfigException.class, () -> provider.create(
                MapPluginConfig.of("file", file.toString(), "time-budget", "5s"))).key());
        assertEquals("statement-limit", assertThrows(PluginConfigException.class, () -> provider.create(
                MapPluginConfig.of("file", file.toString(), "statement-limit", "10"))).key());
        assertThrows(PluginConfigException.class, () -> provider.create(MapPluginConfig.of("fallback", "random")));
    }

    @Test
    void memorySettingsAreChecked() throws Exception {
        Path file = Scripts.write(dir, "policy.js", "export function pick() { return 0; }\n");
        PluginConfigException spaced = settingFails(file, "allocation-limit", "4 MiB");
        assertEquals("allocation-limit", spaced.key());
        assertTrue(spaced.getMessage().contains("expected a size such as 512KiB, 4MiB or 1GiB"), spaced.getMessage());
        assertEquals("allocation-limit", settingFails(file, "allocation-limit", "4mb").key());
        PluginConfigException small = settingFails(file, "allocation-limit", "1KiB");
        assertEquals("allocation-limit", small.key());
        assertTrue(small.getMessage().contains("must be between 64KiB and 1GiB, was 1KiB"), small.getMessage());
        assertEquals("allocation-limit", settingFails(file, "allocation-limit", "2GiB").key());
        assertEquals("recycle-after", settingFails(file, "recycle-after", "-5MiB").key());
        assertEquals("recycle-after", settingFails(file, "recycle-after", "65GiB").key());
        assertEquals("recycle-after", settingFails(file, "recycle-after", "99999999999GiB").key());
        PluginConfigException below = assertThrows(PluginConfigException.class, () -> new ScriptProvider().create(
                MapPluginConfig.of("file", file.toString(), "allocation-limit", "16MiB", "recycle-after", "8MiB")));
        assertEquals("recycle-after", below.key());
        assertTrue(below.getMessage().contains("must be at least allocation-limit (16MiB), was 8MiB"),
                below.getMessage());

        ScriptSettings read = ScriptSettings.read(MapPluginConfig.of("file", file.toString(),
                "allocation-limit", "512KiB", "recycle-after", "1GiB"));
        assertEquals(512 * 1024, read.allocationLimit());
        assertEquals(1L << 30, read.recycleAfter());
        ScriptSettings defaults = ScriptSettings.read(MapPluginConfig.of("file", file.toString()));
        assertEquals(8L << 20, defaults.allocationLimit());
        assertEquals(256L << 20, defaults.recycleAfter());
        assertEquals(3_000_000, ScriptSettings.read(MapPluginConfig.of("file", file.toString(),
                "allocation-limit", "3000000")).allocationLimit(), "a plain number is bytes");
    }

    private static PluginConfigException settingFails(Path file, String key, String value) {
        return assertThrows(PluginConfigException.class,
                () -> new ScriptProvider().create(MapPluginConfig.of("file", file.toString(), key, value)));
    }

    @Test
    void sizesReadAndPrint() {
        assertEquals(1, ByteSize.parse("1B"));
        assertEquals(64 * 1024, ByteSize.parse("64KiB"));
        assertEquals(3L << 30, ByteSize.parse("3GiB"));
        assertEquals("8MiB", ByteSize.format(8L << 20));
        assertEquals("4.2MiB", ByteSize.format((long) (4.2 * (1 << 20))));
        assertEquals("900B", ByteSize.format(900));
        assertEquals("1.5GiB", ByteSize.format(3L << 29));
    }

    @Test
    void configBlockBecomesTypedJson() {
        String json = ScriptSettings.toJson(MapPluginConfig.of("a", "1", "b", "x\"y", "c", "true",
                "d", Map.of("e", "2.5"), "f", java.util.List.of("1", "z")));
        assertEquals("{\"a\":1,\"b\":\"x\\\"y\",\"c\":true,\"d\":{\"e\":2.5},\"f\":[1,\"z\"]}", json);
    }
}

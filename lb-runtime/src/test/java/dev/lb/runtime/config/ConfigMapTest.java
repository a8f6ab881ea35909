package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigMapTest {

    private static ConfigMap yaml(String text) throws ConfigException {
        return YamlTreeReader.read("p.yaml", text);
    }

    private static String problem(PluginConfigException e) {
        return ((ConfigValueException) e).problem().toString();
    }

    @Test
    void typedGettersReadValuesAndDefaults() throws Exception {
        ConfigMap m = yaml("""
                text: hello
                count: 42
                ratio: 0.5
                flag: true
                wait: 250ms
                list: [a, b]
                one: c
                nothing: ~
                block: { inner: 1 }
                """);
        assertEquals(List.of("text", "count", "ratio", "flag", "wait", "list", "one", "nothing", "block"),
                List.copyOf(m.keys()));
        assertEquals(Optional.of("hello"), m.string("text"));
        assertEquals("dflt", m.string("absent", "dflt"));
        assertEquals(42, m.integer("count", 0, 0, 100));
        assertEquals(7, m.integer("absent", 7, 0, 100));
        assertEquals(0.5, m.number("ratio", 0));
        assertEquals(42.0, m.number("count", 0));
        assertTrue(m.bool("flag", false));
        assertEquals(Duration.ofMillis(250), m.duration("wait", Duration.ZERO));
        assertEquals(List.of("a", "b"), m.strings("list"));
        assertEquals(List.of("c"), m.strings("one"));
        assertEquals(List.of(), m.strings("absent"));
        assertEquals(Optional.empty(), m.string("nothing"), "an explicit null reads as absent");
        assertEquals(1, m.section("block").orElseThrow().integer("inner", 0, 0, 9));
        assertTrue(m.has("text"));
        assertFalse(m.has("absent"));
        assertEquals("block", m.section("block").orElseThrow().path());
    }

    @Test
    void wrongTypesAreLocatedAtTheValue() throws Exception {
        ConfigMap m = yaml("""
                count: abc
                quoted: "5"
                ratio: x
                flag: 1
                wait: 5
                list: { a: 1 }
                block: [1]
                text: [1]
                items: [a, { b: 1 }]
                """);
        assertEquals("p.yaml:1:8: count: expected a whole number, got \"abc\"",
                problem(assertThrows(PluginConfigException.class, () -> m.integer("count", 0, 0, 9))));
        assertEquals("p.yaml:2:9: quoted: expected a whole number, got \"5\"",
                problem(assertThrows(PluginConfigException.class, () -> m.integer("quoted", 0, 0, 9))));
        assertEquals("p.yaml:3:8: ratio: expected a number, got \"x\"",
                problem(assertThrows(PluginConfigException.class, () -> m.number("ratio", 0))));
        assertEquals("p.yaml:4:7: flag: expected true or false, got 1",
                problem(assertThrows(PluginConfigException.class, () -> m.bool("flag", false))));
        assertEquals("p.yaml:5:7: wait: expected a duration such as 500ms, 2s, 5m, 1h or 1d (a whole number then a"
                        + " unit, no space), got 5",
                problem(assertThrows(PluginConfigException.class, () -> m.duration("wait", Duration.ZERO))));
        assertEquals("p.yaml:6:7: list: expected a list of text values, got a map",
                problem(assertThrows(PluginConfigException.class, () -> m.strings("list"))));
        assertEquals("p.yaml:7:8: block: expected a map of settings, got a list",
                problem(assertThrows(PluginConfigException.class, () -> m.section("block"))));
        assertEquals("p.yaml:8:7: text: expected a text value, got a list",
                problem(assertThrows(PluginConfigException.class, () -> m.string("text"))));
        assertEquals("p.yaml:9:12: items[1]: expected a text value, got a map",
                problem(assertThrows(PluginConfigException.class, () -> m.strings("items"))));
    }

    @Test
    void integerRangeIsChecked() throws Exception {
        ConfigMap m = yaml("n: 0\nbig: 99999999999999999999999\n");
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> m.integer("n", 5, 1, 10));
        assertEquals("n", e.key());
        assertEquals("must be between 1 and 10, was 0", e.getMessage());
        assertEquals("p.yaml:1:4: n: must be between 1 and 10, was 0", problem(e));
        assertEquals("p.yaml:2:6: big: must be at least 1, was 99999999999999999999999",
                problem(assertThrows(PluginConfigException.class, () -> m.integer("big", 5, 1, Long.MAX_VALUE))));
    }

    @Test
    void invalidPointsAtTheKeysValueOrTheBlock() throws Exception {
        ConfigMap m = yaml("outer:\n  mode: odd\n");
        ConfigMap outer = m.map("outer").orElseThrow();
        assertEquals("p.yaml:2:9: outer.mode: not allowed", problem(outer.invalid("mode", "not allowed")));
        assertEquals("p.yaml:2:3: outer: incomplete", problem(outer.invalid(null, "incomplete")));
        assertEquals("p.yaml:2:3: outer.other: required", problem(outer.invalid("other", "required")));
    }

    @Test
    void unreadKeysAreUnknownWithASuggestion() throws Exception {
        ConfigMap m = yaml("""
                replicas: 3
                replicaz: 4
                zzz: 1
                nested: { kept: 1, typo: 2 }
                """);
        m.integer("replicas", 1, 1, 9);
        m.has("limit");
        m.section("nested").orElseThrow().integer("kept", 0, 0, 9);
        assertEquals(List.of(
                "p.yaml:2:1: replicaz: unknown key \"replicaz\" (did you mean \"replicas\"? known: replicas, limit,"
                        + " nested)",
                "p.yaml:3:1: zzz: unknown key \"zzz\" (known: replicas, limit, nested)",
                "p.yaml:4:20: nested.typo: unknown key \"typo\" (known: kept)"),
                m.unknownKeys().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void copyHasAFreshRecordOfReadKeys() throws Exception {
        ConfigMap m = yaml("a: 1\nb: { c: 2 }\n");
        m.has("a");
        m.section("b").orElseThrow().has("c");
        assertEquals(List.of(), m.unknownKeys());
        ConfigMap copy = m.copy();
        assertEquals(List.of("a", "b"), copy.unreadKeys());
        copy.has("a");
        copy.section("b").orElseThrow();
        assertEquals(List.of("b.c"), copy.unknownKeys().stream().map(ConfigProblem::path).toList(),
                "the nested block's record is fresh too");
        assertEquals(List.of(), m.unknownKeys(), "the original's record is untouched");
    }

    @Test
    void javaValuesFactoryMakesAPluginConfigWithoutAFile() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("key", "header:X-User");
        values.put("replicas", 160);
        values.put("ratio", 0.25);
        values.put("sticky", true);
        values.put("ttl", Duration.ofMinutes(5));
        values.put("codes", List.of(200, 204));
        values.put("tls", Map.of("verify", false));
        values.put("unset", null);
        PluginConfig config = ConfigMap.of("pools.app.algorithm", values);
        assertEquals("pools.app.algorithm", config.path());
        assertEquals(List.copyOf(values.keySet()), List.copyOf(config.keys()));
        assertEquals("header:X-User", config.string("key", ""));
        assertEquals(160, config.integer("replicas", 0, 1, 1000));
        assertEquals(0.25, config.number("ratio", 0));
        assertTrue(config.bool("sticky", false));
        assertEquals(Duration.ofMinutes(5), config.duration("ttl", Duration.ZERO));
        assertEquals(List.of("200", "204"), config.strings("codes"));
        assertFalse(config.section("tls").orElseThrow().bool("verify", true));
        assertEquals(Optional.empty(), config.string("unset"));
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> config.integer("key", 0, 0, 1));
        assertEquals("pools.app.algorithm.key: expected a whole number, got \"header:X-User\"", problem(e));
        assertEquals(List.of(), ((ConfigMap) config).unknownKeys());
    }

    @Test
    void javaValuesFactoryRefusesWhatYamlCannotHold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigMap.of("x", Map.of("when", new Object())));
        assertTrue(e.getMessage().startsWith("cannot use a java.lang.Object at x.when"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigNode.fromJava("", Map.of(1, "a")));
        assertThrows(IllegalArgumentException.class, () -> ConfigMap.of("x", Map.of("d", Duration.ofNanos(5))));
    }

    @Test
    void durationsFormatWithTheLargestExactUnit() {
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("10m", Durations.format(Duration.ofMinutes(10)));
        assertEquals("1d", Durations.format(Duration.ofHours(24)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        for (String text : List.of("1ms", "2s", "3m", "4h", "5d")) {
            assertEquals(text, Durations.format(Durations.parse(text).orElseThrow()));
        }
        for (String bad : List.of("500", "5 s", "-1s", "2x", "1.5s", "s", "")) {
            assertTrue(Durations.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void filePathsResolveAgainstTheConfigFolderInEveryNestedBlockAndCopy() {
        ConfigMap root = ConfigMap.of("", Map.of(
                "here", "a.js",
                "pools", Map.of("app", Map.of("algorithm", Map.of("file", "../policies/b.js"))),
                "list", List.of(Map.of("file", "/abs/c.js"))));
        root.baseDirectory(Path.of("/etc/lb"));

        assertEquals(Optional.of(Path.of("/etc/lb/a.js")), root.file("here"));
        PluginConfig algorithm = root.section("pools").orElseThrow().section("app").orElseThrow()
                .section("algorithm").orElseThrow();
        assertEquals(Optional.of(Path.of("/etc/policies/b.js")), algorithm.file("file"));
        assertEquals(Optional.of(Path.of("/etc/policies/b.js")), ((ConfigMap) algorithm).copy().file("file"));
        ConfigMap listed = (ConfigMap) ((ConfigList) root.node("list").orElseThrow()).items().get(0);
        assertEquals(Optional.of(Path.of("/abs/c.js")), listed.file("file"));
        assertEquals(Optional.empty(), root.file("absent"));
    }
}

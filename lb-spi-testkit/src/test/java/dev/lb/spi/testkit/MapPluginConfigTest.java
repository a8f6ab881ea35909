package dev.lb.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MapPluginConfigTest {

    @Test
    void typedGettersConvertValuesAndAnswerDefaultsWhenAbsent() {
        MapPluginConfig config = MapPluginConfig.of("text", "hello", "count", "42", "ratio", "0.25", "on", "true",
                "wait", "500ms", "number", 7);
        assertEquals(Optional.of("hello"), config.string("text"));
        assertEquals("fallback", config.string("missing", "fallback"));
        assertEquals(42, config.integer("count", 1, 0, 100));
        assertEquals(9, config.integer("absent", 9, 0, 100));
        assertEquals(7, config.integer("number", 1, 0, 100));
        assertEquals(0.25, config.number("ratio", 1.0));
        assertEquals(1.5, config.number("absent", 1.5));
        assertTrue(config.bool("on", false));
        assertFalse(config.bool("absent", false));
        assertEquals(Duration.ofMillis(500), config.duration("wait", Duration.ZERO));
        assertEquals(Duration.ofSeconds(3), config.duration("absent", Duration.ofSeconds(3)));
        assertEquals(List.of("hello"), config.strings("text"));
        assertEquals(List.of(), config.strings("absent"));
        assertEquals("plugin", config.path());
    }

    @Test
    void durationsTakeEveryDocumentedUnit() {
        MapPluginConfig config = MapPluginConfig.of("a", "250ms", "b", "2s", "c", "5m", "d", "1h", "e", "1d");
        assertEquals(Duration.ofMillis(250), config.duration("a", null));
        assertEquals(Duration.ofSeconds(2), config.duration("b", null));
        assertEquals(Duration.ofMinutes(5), config.duration("c", null));
        assertEquals(Duration.ofHours(1), config.duration("d", null));
        assertEquals(Duration.ofDays(1), config.duration("e", null));
    }

    @Test
    void malformedValuesAreReportedAgainstTheirKey() {
        MapPluginConfig config = MapPluginConfig.of("count", "many", "wide", "101", "wait", "2 weeks", "on", "yes",
                "ratio", "half", "list", List.of("a"), "block", Map.of("k", "v"));
        assertProblem("count", "must be an integer, was 'many'", () -> config.integer("count", 1, 0, 100));
        assertProblem("wide", "must be between 0 and 100, was 101", () -> config.integer("wide", 1, 0, 100));
        assertProblem("wait", "must be a duration such as 500ms, 2s or 5m, was '2 weeks'",
                () -> config.duration("wait", Duration.ZERO));
        assertProblem("on", "must be true or false, was 'yes'", () -> config.bool("on", false));
        assertProblem("ratio", "must be a number, was 'half'", () -> config.number("ratio", 0));
        assertProblem("list", "must be a text, not a list", () -> config.string("list"));
        assertProblem("block", "must be a text, not a block", () -> config.string("block"));
        assertProblem("block", "must be a list of texts, not a block", () -> config.strings("block"));
        assertProblem("on", "must be a block of keys, was 'yes'", () -> config.section("on"));
    }

    @Test
    void invalidBuildsTheExceptionAProviderThrows() {
        PluginConfigException e = MapPluginConfig.empty().invalid("key", "must name a header");
        assertEquals("key", e.key());
        assertTrue(e.getMessage().contains("must name a header"), e.getMessage());
    }

    @Test
    void listsAndSectionsAreRead() {
        MapPluginConfig config = MapPluginConfig.at("pools.app.algorithm",
                Map.of("hosts", List.of("a", "b"), "retry", Map.of("times", "3")));
        assertEquals(List.of("a", "b"), config.strings("hosts"));
        PluginConfig retry = config.section("retry").orElseThrow();
        assertEquals("pools.app.algorithm.retry", retry.path());
        assertEquals(3, retry.integer("times", 0, 0, 10));
        assertEquals(Optional.empty(), config.section("absent"));
    }

    @Test
    void filesResolveAgainstTheWorkingDirectoryOrAGivenFolder(@org.junit.jupiter.api.io.TempDir Path dir) {
        MapPluginConfig config = MapPluginConfig.of("script", "policies/a.js");
        assertEquals(Path.of("policies/a.js").toAbsolutePath().normalize(), config.file("script").orElseThrow());
        assertEquals(dir.resolve("policies/a.js").toAbsolutePath(),
                config.resolvingFilesAgainst(dir).file("script").orElseThrow());
        assertEquals(Optional.empty(), config.file("absent"));
        assertEquals(Set.of("script", "absent"), config.readKeys());
    }

    @Test
    void remembersWhichKeysWereReadSoATestCanFindUnknownOnes() {
        MapPluginConfig config = MapPluginConfig.of("choices", "2", "slow-start", "1s", "replicas", "3");
        assertEquals(Set.of("choices", "slow-start", "replicas"), config.unreadKeys());
        config.integer("choices", 2, 1, 10);
        config.has("slow-start");
        config.string("never-written", "x");
        assertEquals(Set.of("replicas"), config.unreadKeys());
        assertEquals(List.of("choices", "slow-start", "never-written"), List.copyOf(config.readKeys()));
        assertEquals(List.of("choices", "slow-start", "replicas"), List.copyOf(config.keys()));
    }

    @Test
    void rejectsUnpairedArguments() {
        assertThrows(IllegalArgumentException.class, () -> MapPluginConfig.of("lonely"));
        assertThrows(IllegalArgumentException.class, () -> MapPluginConfig.of(1, "value"));
    }

    private static void assertProblem(String key, String message, Runnable read) {
        PluginConfigException e = assertThrows(PluginConfigException.class, read::run);
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(message), () -> "expected '" + message + "' in: " + e.getMessage());
    }
}

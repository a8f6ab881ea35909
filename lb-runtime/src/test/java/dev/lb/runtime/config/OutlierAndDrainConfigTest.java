package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code outlier-detection} block of a pool and the {@code drain} key of a backend. */
class OutlierAndDrainConfigTest {

    @TempDir
    Path dir;

    private LbConfig load(String yaml) throws ConfigException {
        return TestPlugins.loader().load("lb.yaml", yaml, dir, TestPlugins.catalog());
    }

    private List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    /** A valid config whose pool block starts at line 5. */
    private static String withPool(String poolBody) {
        return """
                listeners:
                  - { name: web, bind: 127.0.0.1:8080, pool: app }
                pools:
                  app:
                """ + poolBody.indent(4);
    }

    @Test
    void outlierDetectionIsReadWithItsDefaults() throws Exception {
        PoolConfig off = load(withPool("backends: [127.0.0.1:9001]")).pools().get("app");
        assertNull(off.outlierDetection(), "absent means off");

        PoolConfig defaults = load(withPool("backends: [127.0.0.1:9001]\noutlier-detection: {}")).pools().get("app");
        assertEquals(OutlierConfig.defaults(), defaults.outlierDetection());
        assertEquals(new OutlierConfig(5, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50),
                defaults.outlierDetection());

        PoolConfig set = load(withPool("""
                backends: [127.0.0.1:9001]
                outlier-detection:
                  consecutive-failures: 3
                  consecutive-5xx: 0
                  base-ejection-time: 10s
                  max-ejection-time: 1m
                  max-ejected-percent: 100""")).pools().get("app");
        assertEquals(new OutlierConfig(3, 0, Duration.ofSeconds(10), Duration.ofMinutes(1), 100),
                set.outlierDetection());
    }

    @Test
    void outlierDetectionBadValuesAreLocated() {
        assertEquals(List.of(
                "lb.yaml:7:29: pools.app.outlier-detection.consecutive-failures: must be between 0 and 1000, was -1",
                "lb.yaml:8:24: pools.app.outlier-detection.consecutive-5xx: expected a whole number, got \"many\"",
                "lb.yaml:9:27: pools.app.outlier-detection.base-ejection-time: must be greater than 0, e.g. 30s",
                "lb.yaml:10:26: pools.app.outlier-detection.max-ejection-time: expected a duration such as 500ms, 2s,"
                        + " 5m, 1h or 1d (a whole number then a unit, no space), got \"5 m\"",
                "lb.yaml:11:28: pools.app.outlier-detection.max-ejected-percent: must be between 0 and 100, was 150",
                "lb.yaml:12:7: pools.app.outlier-detection.consecutive-errors: unknown key \"consecutive-errors\" (known: consecutive-failures, consecutive-5xx,"
                        + " base-ejection-time, max-ejection-time, max-ejected-percent)"),
                problems(withPool("""
                        backends: [127.0.0.1:9001]
                        outlier-detection:
                          consecutive-failures: -1
                          consecutive-5xx: many
                          base-ejection-time: 0s
                          max-ejection-time: 5 m
                          max-ejected-percent: 150
                          consecutive-errors: 3""")));
    }

    @Test
    void maxEjectionTimeBelowTheBaseIsRefused() {
        assertEquals(List.of("lb.yaml:6:69: pools.app.outlier-detection.max-ejection-time: must be at least"
                        + " base-ejection-time (1m), was 30s"),
                problems(withPool("backends: [127.0.0.1:9001]\n"
                        + "outlier-detection: { base-ejection-time: 1m, max-ejection-time: 30s }")));
        assertEquals(List.of("lb.yaml:6:46: pools.app.outlier-detection.base-ejection-time: must not exceed"
                        + " max-ejection-time (5m), was 10m: lower it or raise max-ejection-time"),
                problems(withPool("backends: [127.0.0.1:9001]\noutlier-detection: { base-ejection-time: 10m }")));
    }

    @Test
    void bothThresholdsOffIsRefused() {
        assertEquals(List.of("lb.yaml:6:48: pools.app.outlier-detection.consecutive-failures: consecutive-failures"
                        + " and consecutive-5xx are both 0, so nothing would ever be ejected: set one above 0, or"
                        + " remove outlier-detection"),
                problems(withPool("backends: [127.0.0.1:9001]\n"
                        + "outlier-detection: { consecutive-failures: 0, consecutive-5xx: 0 }")));
    }

    @Test
    void outlierDetectionMustBeABlock() {
        assertEquals(List.of("lb.yaml:6:24: pools.app.outlier-detection: expected a map of settings, got true"),
                problems(withPool("backends: [127.0.0.1:9001]\noutlier-detection: true")));
    }

    @Test
    void notifierBackoffIsReadAndMustBePositive() throws Exception {
        String base = withPool("backends: [127.0.0.1:9001]");
        LbConfig config = load(base + "notifiers:\n  - { type: log, backoff: 2s }\n  - log\n");
        assertEquals(Duration.ofSeconds(2), config.notifiers().get(0).backoff());
        assertNull(config.notifiers().get(1).backoff(), "the server's default");
        assertEquals(List.of("lb.yaml:7:27: notifiers[0].backoff: must be greater than 0, e.g. 200ms"),
                problems(base + "notifiers:\n  - { type: log, backoff: 0s }\n"));
        assertEquals(List.of("lb.yaml:7:27: notifiers[0].backoff: expected a duration such as 500ms, 2s, 5m, 1h"
                        + " or 1d (a whole number then a unit, no space), got 3"),
                problems(base + "notifiers:\n  - { type: log, backoff: 3 }\n"));
    }

    @Test
    void backendDrainIsRead() throws Exception {
        PoolConfig pool = load(withPool("""
                backends:
                  - { address: 127.0.0.1:9001, name: a, drain: true }
                  - { address: 127.0.0.1:9002, name: b, drain: false }
                  - 127.0.0.1:9003""")).pools().get("app");
        assertTrue(pool.backends().get(0).drain());
        assertFalse(pool.backends().get(1).drain());
        assertFalse(pool.backends().get(2).drain());
    }

    @Test
    void backendDrainMustBeABoolean() {
        assertEquals(List.of("lb.yaml:6:43: pools.app.backends[0].drain: expected true or false, got \"maybe\""),
                problems(withPool("backends:\n  - { address: 127.0.0.1:9001, drain: maybe }")));
    }
}

package dev.lb.runtime.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.TestPlugins;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {

    @TempDir
    Path dir;

    private LbConfig load(String yaml) throws Exception {
        return TestPlugins.loader().load("lb.yaml", yaml, dir, TestPlugins.catalog());
    }

    @Test
    void sameTextWrittenDifferentlyIsUnchanged() throws Exception {
        LbConfig a = load("""
                listeners: [{ name: web, bind: 127.0.0.1:8080, pool: app }]
                pools:
                  app: { algorithm: round-robin, backends: [127.0.0.1:9001] }
                """);
        LbConfig b = load("""
                # the same, another layout
                listeners:
                  - name: web
                    pool: app
                    bind: 127.0.0.1:8080
                pools:
                  app:
                    backends:
                      - 127.0.0.1:9001
                    algorithm: { type: round-robin }
                """);
        ConfigDiff diff = ConfigDiff.between(a, b);
        assertTrue(diff.isEmpty(), diff.toString());
        assertEquals(List.of("web"), diff.listenersUnchanged());
        assertEquals(List.of("app"), diff.poolsUnchanged());
    }

    @Test
    void listenersAndPoolsAreClassified() throws Exception {
        LbConfig a = load("""
                listeners:
                  - { name: web, bind: 127.0.0.1:8080, pool: app }
                  - { name: old, bind: 127.0.0.1:8081, pool: gone }
                  - { name: moved, bind: 127.0.0.1:8082, pool: app }
                pools:
                  app: { backends: [127.0.0.1:9001] }
                  gone: { backends: [127.0.0.1:9002] }
                  same: { backends: [127.0.0.1:9003] }
                """);
        LbConfig b = load("""
                listeners:
                  - { name: web, bind: 127.0.0.1:8080, pool: app }
                  - { name: moved, bind: 127.0.0.1:8092, pool: app }
                  - { name: new, bind: 127.0.0.1:8083, pool: fresh }
                pools:
                  app: { backends: [127.0.0.1:9001, 127.0.0.1:9004] }
                  same: { backends: [127.0.0.1:9003] }
                  fresh: { backends: [127.0.0.1:9005] }
                shutdown: { drain-timeout: 5s }
                """);
        ConfigDiff diff = ConfigDiff.between(a, b);
        assertEquals(List.of("new"), diff.listenersAdded());
        assertEquals(List.of("old"), diff.listenersRemoved());
        assertEquals(List.of("moved"), diff.listenersChanged());
        assertEquals(List.of("web"), diff.listenersUnchanged());
        assertEquals(List.of("fresh"), diff.poolsAdded());
        assertEquals(List.of("gone"), diff.poolsRemoved());
        assertEquals(List.of("app"), diff.poolsChanged());
        assertEquals(List.of("same"), diff.poolsUnchanged());
        assertEquals(List.of("shutdown.drain-timeout"), diff.restartRequired());
    }

    @Test
    void newOutlierDetectionSettingsChangeThePool() throws Exception {
        LbConfig a = load("""
                listeners: [{ name: web, bind: 127.0.0.1:8080, pool: app }]
                pools:
                  app: { backends: [127.0.0.1:9001], outlier-detection: { consecutive-5xx: 5 } }
                """);
        LbConfig b = load("""
                listeners: [{ name: web, bind: 127.0.0.1:8080, pool: app }]
                pools:
                  app: { backends: [127.0.0.1:9001], outlier-detection: { consecutive-5xx: 3 } }
                """);
        assertEquals(List.of("app"), ConfigDiff.between(a, b).poolsChanged());
        assertTrue(ConfigDiff.between(a, a).isEmpty());
    }
}

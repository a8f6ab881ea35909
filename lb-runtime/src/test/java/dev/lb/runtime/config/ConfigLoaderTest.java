package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.EventType;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private LbConfig load(String yaml) throws ConfigException {
        return TestPlugins.loader().load("lb.yaml", yaml, dir, TestPlugins.catalog());
    }

    private List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private void assertProblem(String expected, String yaml) {
        assertEquals(List.of(expected), problems(yaml));
    }

    /** A valid config whose pool block starts at line 6, for variations. */
    private static String withPool(String poolBody) {
        return """
                listeners:
                  - { name: web, bind: 127.0.0.1:8080, pool: app }
                pools:
                  app:
                """ + poolBody.indent(4);
    }

    private static String withListener(String listenerBody) {
        return "listeners:\n  - " + listenerBody.indent(4).strip() + "\npools:\n  app:\n    backends: [127.0.0.1:9001]\n";
    }

    @Test
    void fullConfigIsRead() throws Exception {
        Files.createDirectory(dir.resolve("plugins.d"));
        LbConfig config = load("""
                listeners:
                  - name: web
                    protocol: tcp
                    bind: 127.0.0.1:8080
                    pool: app
                    connect-timeout: 500ms
                    connect-attempts: 5
                    idle-timeout: 1h
                  - { name: api, protocol: http, bind: "[::1]:8081", pool: app }
                pools:
                  app:
                    algorithm: { type: weighted, smoothing: 7, warmup: { period: 1m } }
                    backends:
                      - { address: 127.0.0.1:9001, name: a, weight: 3, labels: { role: canary, zone: 2 } }
                      - localhost:9002
                    health:
                      probe: { type: tcp, send: ping }
                      interval: 5s
                      timeout: 5s
                      rise: 1
                      fall: 4
                notifiers:
                  - { type: log, events: [backend-down, backend-up], queue-size: 10, attempts: 2, level: warn }
                plugins: { dir: ./plugins.d }
                shutdown: { drain-timeout: 0s }
                """);
        assertEquals(dir.resolve("lb.yaml"), config.source());
        ListenerConfig web = config.listeners().get(0);
        assertEquals(new ListenerConfig("web", Protocol.TCP, new InetSocketAddress("127.0.0.1", 8080), "app",
                Duration.ofMillis(500), 5, Duration.ofHours(1)), web);
        ListenerConfig api = config.listeners().get(1);
        assertEquals(Protocol.HTTP, api.protocol());
        assertEquals(new InetSocketAddress("::1", 8081), api.bind());
        PoolConfig app = config.pools().get("app");
        assertEquals("weighted", app.algorithm().type());
        assertEquals(7, app.algorithm().settings().integer("smoothing", 0, 0, 100));
        assertEquals(new BackendConfig("a", new InetSocketAddress("127.0.0.1", 9001), 3,
                Map.of("role", "canary", "zone", "2")), app.backends().get(0));
        assertEquals(new BackendConfig("localhost:9002", new InetSocketAddress("127.0.0.1", 9002), 1, Map.of()),
                app.backends().get(1));
        HealthConfig health = app.healthCheck().orElseThrow();
        assertEquals("tcp", health.probe().type());
        assertEquals("ping", health.probe().settings().string("send").orElseThrow());
        assertEquals(Duration.ofSeconds(5), health.interval());
        assertEquals(Duration.ofSeconds(5), health.timeout());
        assertEquals(1, health.rise());
        assertEquals(4, health.fall());
        NotifierConfig log = config.notifiers().get(0);
        assertEquals("log", log.plugin().type());
        assertEquals(Set.of("level"), log.plugin().settings().keys());
        assertEquals(Set.of(EventType.BACKEND_DOWN, EventType.BACKEND_UP), log.events());
        assertEquals(10, log.queueSize());
        assertEquals(2, log.attempts());
        assertEquals(dir.resolve("plugins.d"), config.pluginsDir());
        assertEquals(Duration.ZERO, config.drainTimeout());
    }

    @Test
    void defaultsAreApplied() throws Exception {
        LbConfig config = load("""
                listeners:
                  - { name: web, bind: 127.0.0.1:8080, pool: app }
                pools:
                  app:
                    backends: [127.0.0.1:9001]
                    health: {}
                notifiers: [log]
                """);
        ListenerConfig web = config.listeners().get(0);
        assertEquals(Protocol.TCP, web.protocol());
        assertEquals(Duration.ofSeconds(3), web.connectTimeout());
        assertEquals(3, web.connectAttempts());
        assertEquals(Duration.ofMinutes(10), web.idleTimeout());
        PoolConfig app = config.pools().get("app");
        assertEquals("round-robin", app.algorithm().type());
        assertEquals(Set.of(), app.algorithm().settings().keys());
        assertEquals("pools.app.algorithm", app.algorithm().settings().path());
        BackendConfig backend = app.backends().get(0);
        assertEquals("127.0.0.1:9001", backend.name());
        assertEquals(1, backend.weight());
        assertEquals(Map.of(), backend.labels());
        HealthConfig health = app.healthCheck().orElseThrow();
        assertEquals("tcp", health.probe().type());
        assertEquals(Duration.ofSeconds(2), health.interval());
        assertEquals(Duration.ofSeconds(1), health.timeout());
        assertEquals(2, health.rise());
        assertEquals(3, health.fall());
        NotifierConfig log = config.notifiers().get(0);
        assertEquals(Set.of(EventType.values()), log.events());
        assertEquals(1000, log.queueSize());
        assertEquals(3, log.attempts());
        assertNull(config.pluginsDir());
        assertEquals(Duration.ofSeconds(30), config.drainTimeout());
    }

    @Test
    void shorthandForms() throws Exception {
        LbConfig config = load(withPool("""
                algorithm: random
                backends:
                  - 127.0.0.1:9001
                  - { address: 127.0.0.1:9002 }
                health:
                  probe: tcp
                """));
        PoolConfig app = config.pools().get("app");
        assertEquals("random", app.algorithm().type());
        assertEquals(List.of("127.0.0.1:9001", "127.0.0.1:9002"),
                app.backends().stream().map(BackendConfig::name).toList());
        assertEquals("tcp", app.health().probe().type());
        assertEquals(Set.of(), app.health().probe().settings().keys());
    }

    @Test
    void poolWithoutHealthIsNotProbed() throws Exception {
        assertTrue(load(withPool("backends: [127.0.0.1:9001]")).pools().get("app").healthCheck().isEmpty());
    }

    @Test
    void readsAFileAndResolvesPluginsDirAgainstItsFolder() throws Exception {
        Path conf = Files.createDirectory(dir.resolve("conf"));
        Files.createDirectory(conf.resolve("plugins.d"));
        Path file = conf.resolve("lb.yaml");
        Files.writeString(file, withPool("backends: [127.0.0.1:9001]") + "plugins: { dir: plugins.d }\n");
        ParsedConfig parsed = TestPlugins.loader().parse(file);
        assertEquals(conf.resolve("plugins.d"), parsed.pluginsDir().orElseThrow());
        LbConfig config = TestPlugins.loader().load(file, TestPlugins.catalog());
        assertEquals(file, config.source());
        assertEquals(conf.resolve("plugins.d"), config.pluginsDir());
    }

    @Test
    void javaValuesMakeAConfigWithoutYaml() throws Exception {
        LbConfig config = TestPlugins.loader().fromValues(Map.of(
                "listeners", List.of(Map.of("name", "web", "bind", "127.0.0.1:0", "pool", "app",
                        "idle-timeout", Duration.ofSeconds(90))),
                "pools", Map.of("app", Map.of(
                        "algorithm", Map.of("type", "weighted", "smoothing", 3),
                        "backends", List.of("127.0.0.1:9001")))), dir, TestPlugins.catalog());
        assertEquals(Duration.ofSeconds(90), config.listeners().get(0).idleTimeout());
        assertEquals(0, config.listeners().get(0).bind().getPort());
        assertNull(config.source());
        assertEquals(3, config.pools().get("app").algorithm().settings().integer("smoothing", 0, 0, 9));
    }

    @Test
    void javaValuesProblemsHavePathsButNoLocation() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestPlugins.loader().fromValues(Map.of(
                "listeners", List.of(Map.of("name", "web", "bind", "127.0.0.1:8080", "pool", "nope")),
                "pools", Map.of("app", Map.of("backends", List.of("127.0.0.1:9001")))), dir, TestPlugins.catalog()));
        assertEquals("listeners[0].pool: unknown pool \"nope\" (known: app)", e.getMessage());
    }

    // ---- file-level problems

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestPlugins.loader().load(file, TestPlugins.catalog()));
        assertEquals("cannot read the configuration file " + file + ": no such file", e.getMessage());
    }

    @Test
    void emptyFile() {
        assertProblem("lb.yaml:1:1: the configuration is empty: it needs at least listeners and pools", "");
        assertProblem("lb.yaml:1:1: the configuration is empty: it needs at least listeners and pools",
                "# only a comment\n");
    }

    @Test
    void topLevelMustBeAMap() {
        assertProblem("lb.yaml:1:1: expected a map of settings (listeners, pools, ...) at the top level, got a list",
                "- a\n- b\n");
    }

    @Test
    void yamlSyntaxErrorIsLocated() {
        assertProblem("lb.yaml:3:3: YAML syntax error: expected <block end>, but found '<block mapping start>'"
                        + " (while parsing a block mapping)",
                "listeners:\n    - name: web\n  pools: {}\n");
    }

    @Test
    void missingTopLevelKeys() {
        assertEquals(List.of(
                "lb.yaml:1:1: missing required key \"pools\" (at least one pool, e.g. pools: { app: { backends:"
                        + " [127.0.0.1:9001] } })",
                "lb.yaml:1:1: missing required key \"listeners\" (at least one listener, e.g. listeners: [{ name: web,"
                        + " bind: 127.0.0.1:8080, pool: app }])"),
                problems("shutdown: { drain-timeout: 1s }\n"));
    }

    // ---- unknown keys

    @Test
    void unknownKeyAtTopLevel() {
        assertProblem("lb.yaml:6:1: listener: unknown key \"listener\" (did you mean \"listeners\"? known: listeners,"
                        + " pools, notifiers, plugins, shutdown, admin, logging)",
                withPool("backends: [127.0.0.1:9001]") + "listener: {}\n");
    }

    @Test
    void unknownKeyInListenerSuggestsTheClosest() {
        assertProblem("lb.yaml:2:51: listeners[0].idle-timout: unknown key \"idle-timout\" (did you mean"
                        + " \"idle-timeout\"? known: name, protocol, bind, pool, connect-timeout, connect-attempts,"
                        + " idle-timeout, http, tls)",
                withListener("{ name: web, bind: 127.0.0.1:8080, pool: app, idle-timout: 5s }"));
    }

    @Test
    void unknownKeysInPoolBackendAndHealth() {
        assertEquals(List.of(
                "lb.yaml:7:9: pools.app.backends[0].wieght: unknown key \"wieght\" (did you mean \"weight\"? known:"
                        + " address, name, weight, labels, drain)",
                "lb.yaml:9:7: pools.app.health.intervl: unknown key \"intervl\" (did you mean \"interval\"? known:"
                        + " probe, interval, timeout, rise, fall)",
                "lb.yaml:10:5: pools.app.colour: unknown key \"colour\" (known: algorithm, backends, health, outlier-detection)"),
                problems(withPool("""
                        backends:
                          - address: 127.0.0.1:9001
                            wieght: 2
                        health:
                          intervl: 2s
                        colour: blue""")));
    }

    @Test
    void unknownPluginKeyIsReportedWithTheKeysThePluginRead() {
        assertProblem("lb.yaml:5:34: pools.app.algorithm.smoothng: unknown key \"smoothng\" (did you mean"
                        + " \"smoothing\"? known: type, smoothing, mode, warmup)",
                withPool("algorithm: { type: weighted, smoothng: 5 }\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void unknownKeyInANestedPluginSection() {
        assertProblem("lb.yaml:5:44: pools.app.algorithm.warmup.perid: unknown key \"perid\" (did you mean"
                        + " \"period\"? known: period)",
                withPool("algorithm: { type: weighted, warmup: { perid: 1s } }\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void keyGivenToAPluginWithoutSettings() {
        assertProblem("lb.yaml:5:32: pools.app.algorithm.seed: unknown key \"seed\" (the random algorithm has no"
                        + " settings; known: type)",
                withPool("algorithm: { type: random, seed: 5 }\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void unknownNotifierKeyListsRuntimeAndPluginKeys() {
        assertProblem("lb.yaml:7:18: notifiers[0].evnts: unknown key \"evnts\" (did you mean \"events\"? known:"
                        + " type, events, queue-size, attempts, backoff, level)",
                withPool("backends: [127.0.0.1:9001]") + "notifiers:\n  - { type: log, evnts: [backend-up] }\n");
    }

    // ---- plugins

    @Test
    void unknownPluginNameOfEachKind() {
        assertEquals(List.of(
                "lb.yaml:5:24: pools.app.algorithm.type: unknown algorithm \"round-robn\" (known: random,"
                        + " round-robin, weighted)",
                "lb.yaml:8:14: pools.app.health.probe: unknown health probe \"htp\" (known: http, tcp)",
                "lb.yaml:10:5: notifiers[0]: unknown notifier \"slack\" (known: log, webhook)"),
                problems(withPool("""
                        algorithm: { type: round-robn }
                        backends: [127.0.0.1:9001]
                        health:
                          probe: htp""") + "notifiers:\n  - slack\n"));
    }

    @Test
    void pluginTypeIsRequiredInABlock() {
        assertProblem("lb.yaml:5:16: pools.app.algorithm: missing required key \"type\" (the algorithm's name)",
                withPool("algorithm: { smoothing: 5 }\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void pluginValueOfTheWrongShape() {
        assertProblem("lb.yaml:5:16: pools.app.algorithm: expected the name of an algorithm, or a map of its type"
                        + " and settings, got a list",
                withPool("algorithm: [random]\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void pluginGetterErrorIsLocatedAtTheValue() {
        assertProblem("lb.yaml:5:45: pools.app.algorithm.smoothing: must be between 0 and 1000, was 5000",
                withPool("algorithm: { type: weighted, smoothing: 5000 }\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void pluginInvalidIsLocatedAtItsKey() {
        assertProblem("lb.yaml:5:40: pools.app.algorithm.mode: odd mode needs smoothing of at least 100",
                withPool("algorithm: { type: weighted, mode: odd }\nbackends: [127.0.0.1:9001]"));
    }

    @Test
    void pluginExceptionConstructedDirectlyIsLocatedToo() {
        assertProblem("lb.yaml:8:12: notifiers[0].level: must be info or warn, was \"debug\"",
                withPool("backends: [127.0.0.1:9001]") + "notifiers:\n  - type: log\n    level: debug\n");
    }

    @Test
    void validationClosesEveryPluginItCreates() throws Exception {
        int before = TestPlugins.CLOSED.get();
        load(withPool("algorithm: weighted\nbackends: [127.0.0.1:9001]\nhealth: { probe: tcp }")
                + "notifiers: [log]\n");
        assertEquals(before + 3, TestPlugins.CLOSED.get());
    }

    // ---- types and durations

    @Test
    void wrongTypes() {
        assertEquals(List.of(
                "lb.yaml:2:69: listeners[0].connect-attempts: expected a whole number, got \"abc\"",
                "lb.yaml:2:91: listeners[0].connect-timeout: expected a duration such as 500ms, 2s, 5m, 1h or 1d"
                        + " (a whole number then a unit, no space), got a list"),
                problems(withListener(
                        "{ name: web, bind: 127.0.0.1:8080, pool: app, connect-attempts: abc, connect-timeout: [1] }")));
    }

    @Test
    void badDurations() {
        String accepted = "expected a duration such as 500ms, 2s, 5m, 1h or 1d (a whole number then a unit, no space)";
        assertEquals(List.of(
                "lb.yaml:7:17: pools.app.health.interval: " + accepted + ", got 500",
                "lb.yaml:8:16: pools.app.health.timeout: " + accepted + ", got \"5 s\"",
                "lb.yaml:9:28: shutdown.drain-timeout: " + accepted + ", got \"-1s\""),
                problems(withPool("""
                        backends: [127.0.0.1:9001]
                        health:
                          interval: 500
                          timeout: 5 s""") + "shutdown: { drain-timeout: -1s }\n"));
        assertProblem("lb.yaml:2:65: listeners[0].idle-timeout: " + accepted + ", got \"2x\"",
                withListener("{ name: web, bind: 127.0.0.1:8080, pool: app, idle-timeout: 2x }"));
    }

    @Test
    void zeroTimeoutIsRefused() {
        assertProblem("lb.yaml:2:68: listeners[0].connect-timeout: must be greater than 0, e.g. 3s",
                withListener("{ name: web, bind: 127.0.0.1:8080, pool: app, connect-timeout: 0s }"));
    }

    // ---- addresses

    @Test
    void badAddresses() {
        assertEquals(List.of(
                "lb.yaml:6:9: pools.app.backends[0]: expected host:port or [ipv6]:port, got \"127.0.0.1\" (the port"
                        + " is missing)",
                "lb.yaml:7:9: pools.app.backends[1]: port 70000 is out of range: use 1 to 65535",
                "lb.yaml:8:20: pools.app.backends[2].address: cannot resolve host \"backend.example\": check the name,"
                        + " or use an IP address",
                "lb.yaml:9:9: pools.app.backends[3]: port 0 is out of range: use 1 to 65535",
                "lb.yaml:10:9: pools.app.backends[4]: expected host:port or [ipv6]:port, got \"::1:80\": write an"
                        + " IPv6 address in brackets, e.g. [::1]:8080",
                "lb.yaml:11:9: pools.app.backends[5]: expected host:port or [ipv6]:port, got 9001",
                "lb.yaml:12:9: pools.app.backends[6]: port \"http\" is not a number between 1 and 65535"),
                problems(withPool("""
                        backends:
                          - 127.0.0.1
                          - 127.0.0.1:70000
                          - { address: backend.example:80 }
                          - 127.0.0.1:0
                          - ::1:80
                          - 9001
                          - 127.0.0.1:http""")));
    }

    @Test
    void bindAddressMayUseAnEphemeralPort() throws Exception {
        assertEquals(0, load(withListener("{ name: web, bind: 127.0.0.1:0, pool: app }")).listeners().get(0)
                .bind().getPort());
    }

    // ---- references and uniqueness

    @Test
    void duplicateListenerNamesAndBinds() {
        assertEquals(List.of(
                "lb.yaml:3:13: listeners[1].name: duplicate listener name \"web\" (first at line 2): listener names"
                        + " must be unique",
                "lb.yaml:3:24: listeners[1].bind: conflicts with listener \"web\", which binds port 8080 too (first"
                        + " at line 2): give each listener its own address or port",
                "lb.yaml:4:24: listeners[2].bind: conflicts with listener \"web\", which binds port 8080 too (first"
                        + " at line 2): give each listener its own address or port"),
                problems("""
                        listeners:
                          - { name: web, bind: 127.0.0.1:8080, pool: app }
                          - { name: web, bind: 127.0.0.1:8080, pool: app }
                          - { name: all, bind: 0.0.0.0:8080, pool: app }
                          - { name: other, bind: 127.0.0.1:8081, pool: app }
                        pools:
                          app:
                            backends: [127.0.0.1:9001]
                        """));
    }

    @Test
    void duplicateBackendNames() {
        assertEquals(List.of(
                "lb.yaml:7:17: pools.app.backends[1].name: duplicate backend name \"a\" (first at line 6): names"
                        + " must be unique within a pool (a backend without a name is named by its address)",
                "lb.yaml:9:9: pools.app.backends[3]: duplicate backend name \"127.0.0.1:9003\" (first at line 8):"
                        + " names must be unique within a pool (a backend without a name is named by its address)"),
                problems(withPool("""
                        backends:
                          - { name: a, address: 127.0.0.1:9001 }
                          - { name: a, address: 127.0.0.1:9002 }
                          - 127.0.0.1:9003
                          - 127.0.0.1:9003""")));
    }

    @Test
    void listenerPointingAtAMissingPool() {
        assertProblem("lb.yaml:2:46: listeners[0].pool: unknown pool \"ap\" (did you mean \"app\"? known: app)",
                withListener("{ name: web, bind: 127.0.0.1:8080, pool: ap }"));
    }

    @Test
    void requiredListenerKeys() {
        assertEquals(List.of(
                "lb.yaml:2:5: listeners[0]: missing required key \"name\" (a name unique among listeners, e.g."
                        + " name: web)",
                "lb.yaml:2:5: listeners[0]: missing required key \"bind\" (the address to accept clients on, e.g."
                        + " bind: 127.0.0.1:8080)",
                "lb.yaml:2:5: listeners[0]: missing required key \"pool\" (the name of a pool under pools)"),
                problems(withListener("{ protocol: tcp }")));
    }

    @Test
    void unknownProtocol() {
        assertProblem("lb.yaml:2:28: listeners[0].protocol: unknown protocol \"tpc\" (did you mean \"tcp\"? known:"
                        + " tcp, http)",
                withListener("{ name: web, protocol: tpc, bind: 127.0.0.1:8080, pool: app }"));
    }

    // ---- pool rules

    @Test
    void emptyAndMissingBackends() {
        assertProblem("lb.yaml:5:15: pools.app.backends: must not be empty (at least one backend, e.g. backends:"
                + " [127.0.0.1:9001])", withPool("backends: []"));
        assertProblem("lb.yaml:5:5: pools.app: missing required key \"backends\" (at least one backend, e.g."
                + " backends: [127.0.0.1:9001])", withPool("algorithm: random"));
    }

    @Test
    void weightBelowOne() {
        assertProblem("lb.yaml:5:51: pools.app.backends[0].weight: must be between 1 and 10000, was 0",
                withPool("backends: [{ address: 127.0.0.1:9001, weight: 0 }]"));
    }

    @Test
    void riseAndFallBelowOne() {
        assertEquals(List.of(
                "lb.yaml:6:21: pools.app.health.rise: must be between 1 and 100, was 0",
                "lb.yaml:6:30: pools.app.health.fall: must be between 1 and 100, was -1"),
                problems(withPool("backends: [127.0.0.1:9001]\nhealth: { rise: 0, fall: -1 }")));
    }

    @Test
    void timeoutGreaterThanInterval() {
        assertProblem("lb.yaml:6:38: pools.app.health.timeout: must not exceed the interval (2s), was 3s",
                withPool("backends: [127.0.0.1:9001]\nhealth: { interval: 2s, timeout: 3s }"));
        assertProblem("lb.yaml:6:25: pools.app.health.interval: must be at least the timeout (1s), was 500ms: raise"
                        + " the interval or lower the timeout",
                withPool("backends: [127.0.0.1:9001]\nhealth: { interval: 500ms }"));
    }

    @Test
    void unknownEventName() {
        assertProblem("lb.yaml:8:26: notifiers[0].events[1]: unknown event \"backend-dwn\" (did you mean"
                        + " \"backend-down\"? known: backend-down, backend-up, backend-drained, pool-empty,"
                        + " pool-recovered)",
                withPool("backends: [127.0.0.1:9001]")
                        + "notifiers:\n  - type: log\n    events: [backend-up, backend-dwn]\n");
    }

    @Test
    void missingPluginsDir() {
        assertProblem("lb.yaml:6:17: plugins.dir: plugins directory " + dir.resolve("nope") + " does not exist or is"
                        + " not a directory: create it, or remove plugins.dir",
                withPool("backends: [127.0.0.1:9001]") + "plugins: { dir: nope }\n");
    }

    // ---- everything at once

    @Test
    void allProblemsAreReportedTogetherInFileOrder() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("""
                listeners:
                  - { name: web, bind: 127.0.0.1, pool: api, idle-timout: 5s }
                pools:
                  app:
                    algorithm: round-robn
                    backends:
                      - { address: 127.0.0.1:9001, weight: 0 }
                    health: { timeout: 5 s }
                """));
        assertEquals("""
                lb.yaml:2:24: listeners[0].bind: expected host:port or [ipv6]:port, got "127.0.0.1" (the port is\
                 missing)
                lb.yaml:2:41: listeners[0].pool: unknown pool "api" (did you mean "app"? known: app)
                lb.yaml:2:46: listeners[0].idle-timout: unknown key "idle-timout" (did you mean "idle-timeout"?\
                 known: name, protocol, bind, pool, connect-timeout, connect-attempts, idle-timeout, http, tls)
                lb.yaml:5:16: pools.app.algorithm: unknown algorithm "round-robn" (known: random, round-robin,\
                 weighted)
                lb.yaml:7:44: pools.app.backends[0].weight: must be between 1 and 10000, was 0
                lb.yaml:8:24: pools.app.health.timeout: expected a duration such as 500ms, 2s, 5m, 1h or 1d (a whole\
                 number then a unit, no space), got "5 s\"""", e.getMessage());
        assertEquals(6, e.problems().size());
    }
}

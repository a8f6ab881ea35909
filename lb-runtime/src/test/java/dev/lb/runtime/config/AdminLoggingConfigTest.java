package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code admin} and {@code logging} blocks: values read, defaults, and each bad value located. */
class AdminLoggingConfigTest {

    private static final String BASE = """
            listeners:
              - { name: web, bind: 127.0.0.1:8080, pool: app }
            pools:
              app: { backends: [127.0.0.1:9001] }
            """;

    @TempDir
    Path dir;

    private LbConfig load(String extra) throws ConfigException {
        return TestPlugins.loader().load("lb.yaml", BASE + extra, dir, TestPlugins.catalog());
    }

    private List<String> problems(String extra) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(extra));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void noAdminBlockMeansNoAdminListenerAndDefaultLogging() throws Exception {
        LbConfig config = load("");
        assertNull(config.admin());
        assertEquals(LoggingConfig.DEFAULT, config.logging());
        assertEquals(LoggingConfig.DEFAULT_ACCESS_LOG_FORMAT, config.logging().accessLogPattern());
    }

    @Test
    void adminOnLoopbackNeedsNoToken() throws Exception {
        AdminConfig admin = load("admin: { bind: 127.0.0.1:9901 }\n").admin();
        assertEquals(new InetSocketAddress("127.0.0.1", 9901), admin.bind());
        assertTrue(admin.bearerToken().isEmpty());
    }

    @Test
    void adminBindDefaultsToLoopback9900() throws Exception {
        assertEquals(new InetSocketAddress("127.0.0.1", 9900), load("admin: {}\n").admin().bind());
    }

    @Test
    void adminInlineTokenIsReadAndNeverPrinted() throws Exception {
        AdminConfig admin = load("admin: { bind: 0.0.0.0:9900, token: s3cr3t-t0ken }\n").admin();
        assertEquals("s3cr3t-t0ken", admin.token());
        assertFalse(admin.toString().contains("s3cr3t"), admin.toString());
    }

    @Test
    void adminTokenFileIsReadRelativeToTheConfig() throws Exception {
        Files.writeString(dir.resolve("admin.token"), "from-file-token\n");
        assertEquals("from-file-token", load("admin: { bind: 0.0.0.0:9900, token-file: admin.token }\n").admin()
                .token());
    }

    @Test
    void nonLoopbackWithoutTokenIsRefusedAtTheBind() {
        assertEquals(List.of("lb.yaml:5:16: admin.bind: the admin listener binds 0.0.0.0, which is not a loopback"
                + " address: set admin.token or admin.token-file so that only holders of the token can use it, or"
                + " bind 127.0.0.1"), problems("admin: { bind: 0.0.0.0:9900 }\n"));
    }

    @Test
    void tokenAndTokenFileTogetherAreRefused() {
        assertEquals(List.of("lb.yaml:5:39: admin.token-file: set either token or token-file, not both"),
                problems("admin: { token: abcdefgh, token-file: x }\n"));
    }

    @Test
    void emptyTokenIsRefused() {
        assertEquals(List.of("lb.yaml:5:17: admin.token: must not be empty: the bearer token admin requests carry"),
                problems("admin: { token: \"\" }\n"));
    }

    @Test
    void missingTokenFileIsRefused() {
        List<String> problems = problems("admin: { token-file: nope.token }\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("lb.yaml:5:22: admin.token-file: cannot read the admin token file "),
                problems.get(0));
        assertTrue(problems.get(0).endsWith("nope.token: no such file; create it with the token on one line"),
                problems.get(0));
    }

    @Test
    void emptyTokenFileIsRefused() throws Exception {
        Files.writeString(dir.resolve("empty.token"), "\n");
        assertTrue(problems("admin: { token-file: empty.token }\n").get(0).contains("is empty: write the token"));
    }

    @Test
    void tokenValueNeverAppearsInProblems() {
        List<String> problems = problems("admin: { bind: nowhere, token: [hunter2] }\n");
        assertFalse(problems.toString().contains("hunter2"), problems.toString());
        assertTrue(problems.toString().contains("the value is not shown: it is a secret"), problems.toString());
    }

    @Test
    void unknownAdminKeyIsReported() {
        assertEquals(List.of("lb.yaml:5:10: admin.tokn: unknown key \"tokn\" (did you mean \"token\"? known: bind,"
                + " token, token-file)"), problems("admin: { tokn: x }\n"));
    }

    @Test
    void loggingLevelsAndFormatAreRead() throws Exception {
        LoggingConfig logging = load("""
                logging:
                  levels: { root: WARN, dev.lb: debug }
                  access-log-format: "${client} -> ${backend} ${duration_ms}"
                """).logging();
        assertEquals(Map.of("root", "warn", "dev.lb", "debug"), logging.levels());
        assertEquals("${client} -> ${backend} ${duration_ms}", logging.accessLogPattern());
    }

    @Test
    void unknownLevelIsRefused() {
        assertEquals(List.of("lb.yaml:6:21: logging.levels.dev.lb: unknown level \"verbose\" (known: trace, debug,"
                + " info, warn, error, off)"), problems("logging:\n  levels: { dev.lb: verbose }\n"));
    }

    @Test
    void unknownAccessLogFieldIsRefused() {
        assertEquals(List.of("lb.yaml:6:22: logging.access-log-format: unknown access-log field \"${clinet}\" (did"
                + " you mean \"${client}\"? known: ${time}, ${client}, ${listener}, ${protocol}, ${pool}, ${backend},"
                + " ${method}, ${uri}, ${status}, ${bytes_in}, ${bytes_out}, ${duration_ms})"),
                problems("logging:\n  access-log-format: \"${clinet}\"\n"));
    }

    @Test
    void unknownLoggingKeyIsReported() {
        assertEquals(List.of("lb.yaml:6:3: logging.level: unknown key \"level\" (did you mean \"levels\"? known:"
                + " levels, access-log-format)"), problems("logging:\n  level: {}\n"));
    }
}

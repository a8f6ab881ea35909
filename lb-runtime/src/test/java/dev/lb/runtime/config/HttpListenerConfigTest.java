package dev.lb.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} and {@code tls} blocks of a listener: every key read, defaults, and located errors. */
class HttpListenerConfigTest {

    @TempDir
    Path dir;

    private LbConfig load(String yaml) throws ConfigException {
        return TestPlugins.loader().load("lb.yaml", yaml, dir, TestPlugins.catalog());
    }

    private List<String> problems(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    /** Each problem is located ({@code lb.yaml:line:col: }) and then reads exactly as expected, in order. */
    private void assertProblems(String yaml, String... expected) {
        List<String> found = problems(yaml);
        assertEquals(expected.length, found.size(), () -> "problems: " + found);
        for (int i = 0; i < expected.length; i++) {
            String problem = found.get(i);
            assertTrue(problem.matches("lb\\.yaml:\\d+:\\d+: " + Pattern.quote(expected[i])),
                    "expected a located \"" + expected[i] + "\", got \"" + problem + "\"");
        }
    }

    private static String listener(String extra) {
        return "listeners:\n  - name: web\n    protocol: http\n    bind: 127.0.0.1:8080\n    pool: app\n"
                + extra.indent(4) + "pools:\n  app:\n    backends: [127.0.0.1:9001]\n";
    }

    @Test
    void everyKeyIsRead() throws Exception {
        Files.writeString(dir.resolve("lb.crt"), "cert");
        Files.writeString(dir.resolve("lb.key"), "key");
        Files.writeString(dir.resolve("ca.pem"), "ca");
        ListenerConfig web = load(listener("""
                http:
                  max-header-size: 16384
                  max-request-line: 4096
                  max-body-size: 1048576
                  header-timeout: 5s
                  response-timeout: 30s
                  retries: { attempts: 1, methods: [get, HEAD] }
                  forwarded-headers: false
                  preserve-host: false
                  max-connections: 500
                  max-backend-connections: 64
                  backend-tls: { ca: ca.pem, verify-hostname: false }
                  http2: true
                  backend-idle-timeout: 4s
                tls: { cert: lb.crt, key: lb.key }
                """)).listeners().getFirst();
        HttpListenerConfig http = web.http();
        assertEquals(16384, http.maxHeaderSize());
        assertEquals(4096, http.maxRequestLine());
        assertEquals(1048576, http.maxBodySize());
        assertEquals(Duration.ofSeconds(5), http.headerTimeout());
        assertEquals(Duration.ofSeconds(30), http.responseTimeout());
        assertEquals(new HttpListenerConfig.Retries(1, Set.of("GET", "HEAD")), http.retries());
        assertEquals(false, http.forwardedHeaders());
        assertEquals(false, http.preserveHost());
        assertEquals(500, http.maxConnections());
        assertEquals(64, http.maxBackendConnections());
        assertEquals(new HttpListenerConfig.BackendTls(dir.resolve("ca.pem"), false), http.backendTls());
        assertEquals(new TlsConfig(dir.resolve("lb.crt"), dir.resolve("lb.key")), web.tls());
        assertTrue(http.http2());
        assertEquals(Duration.ofSeconds(4), http.backendIdleTimeout());
    }

    @Test
    void http2NeedsTls() {
        assertProblems(listener("http: { http2: true }"),
                "listeners[0].http.http2: HTTP/2 is offered by ALPN during the TLS handshake: add tls: { cert, key }"
                        + " to this listener, or remove http2");
    }

    @Test
    void defaults() throws Exception {
        ListenerConfig web = load(listener("")).listeners().getFirst();
        assertSame(HttpListenerConfig.DEFAULTS, web.http());
        assertNull(web.tls());
        HttpListenerConfig http = web.http();
        assertEquals(32 * 1024, http.maxHeaderSize());
        assertEquals(0, http.maxBodySize());
        assertEquals(Duration.ofSeconds(10), http.headerTimeout());
        assertEquals(Duration.ofSeconds(60), http.responseTimeout());
        assertEquals(2, http.retries().attempts());
        assertEquals(HttpListenerConfig.IDEMPOTENT_METHODS, http.retries().methods());
        assertTrue(http.forwardedHeaders());
        assertTrue(http.preserveHost());
        assertNull(http.backendTls());
        assertEquals(false, http.http2());
        assertEquals(Duration.ofSeconds(30), http.backendIdleTimeout());
        HttpListenerConfig.Retries onlyCount = load(listener("http: { retries: { attempts: 0 } }")).listeners()
                .getFirst().http().retries();
        assertEquals(new HttpListenerConfig.Retries(0, HttpListenerConfig.IDEMPOTENT_METHODS), onlyCount);
    }

    @Test
    void badValuesAreLocated() {
        assertProblems(listener("""
                http:
                  max-header-size: 10
                  max-body-size: -1
                  header-timeout: 0s
                  response-timeout: soon
                  forwarded-headers: "yes"
                  max-connections: 0
                  max-backend-connections: abc
                  backend-idle-timeout: 0s
                  retries: { attempts: 11, methods: [GET, "G T", POST] }
                """),
                "listeners[0].http.max-header-size: must be between 1024 and 1048576, was 10",
                "listeners[0].http.max-body-size: must be at least 0, was -1",
                "listeners[0].http.header-timeout: must be greater than 0, e.g. 10s",
                "listeners[0].http.response-timeout: expected " + Durations.ACCEPTED + ", got \"soon\"",
                "listeners[0].http.forwarded-headers: expected true or false, got \"yes\"",
                "listeners[0].http.max-connections: must be between 1 and 1000000, was 0",
                "listeners[0].http.max-backend-connections: expected a whole number, got \"abc\"",
                "listeners[0].http.backend-idle-timeout: must be greater than 0, e.g. 30s",
                "listeners[0].http.retries.attempts: must be between 0 and 10, was 11",
                "listeners[0].http.retries.methods: \"G T\" is not an HTTP method (e.g. GET, PUT)",
                "listeners[0].http.retries.methods: POST and PATCH are not idempotent and are never replayed: a"
                        + " backend may already have acted on them; remove them from retries.methods");
    }

    @Test
    void unknownKeysInTheBlocksSuggestTheClosest() {
        assertProblems(listener("http: { header-timout: 5s, retries: { attempt: 1 } }"),
                "listeners[0].http.header-timout: unknown key \"header-timout\" (did you mean \"header-timeout\"?"
                        + " known: max-header-size, max-request-line, max-body-size, header-timeout,"
                        + " response-timeout, retries, forwarded-headers, preserve-host, max-connections,"
                        + " max-backend-connections, backend-tls, http2, backend-idle-timeout)",
                "listeners[0].http.retries.attempt: unknown key \"attempt\" (did you mean \"attempts\"? known:"
                        + " attempts, methods)");
    }

    @Test
    void httpAndTlsBlocksBelongToHttpListeners() throws Exception {
        Path cert = dir.resolve("a.crt");
        Path key = dir.resolve("a.key");
        java.nio.file.Files.writeString(cert, "cert");
        java.nio.file.Files.writeString(key, "key");
        String yaml = listener("http: { max-connections: 5 }\ntls: { cert: a.crt, key: a.key }")
                .replace("protocol: http", "protocol: tcp");
        assertProblems(yaml,
                "listeners[0].http: only an http listener has http settings: set protocol: http, or remove this"
                        + " block",
                "listeners[0].tls: TLS is terminated on http listeners only: set protocol: http, or remove this"
                        + " block (a tcp listener relays TLS untouched)");
    }

    @Test
    void tlsFilesMustExist() {
        assertProblems(listener("tls: { cert: missing.crt }\nhttp: { backend-tls: { ca: nope.pem } }"),
                "listeners[0].tls: missing required key \"key\" (the private key in PEM (PKCS#8), e.g. key:"
                        + " tls/lb.key)",
                "listeners[0].tls.cert: file " + dir.resolve("missing.crt") + " does not exist or cannot be read"
                        + " (the certificate chain in PEM, e.g. cert: tls/lb.crt; a relative path starts at the"
                        + " configuration file's folder)",
                "listeners[0].http.backend-tls.ca: file " + dir.resolve("nope.pem") + " does not exist or cannot"
                        + " be read (PEM certificates to trust for backends, e.g. ca: tls/backends.pem; a relative"
                        + " path starts at the configuration file's folder)");
    }
}

package dev.lb.plugins.probes;

import static dev.lb.plugins.probes.TestTargets.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.testkit.MapPluginConfig;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HttpProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpProbeProvider provider = new HttpProbeProvider();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A real HTTP server on loopback: {@code /status/N} answers N, {@code /body} answers a chunked body. */
    private int serve(HttpServer http) {
        server = http;
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host="
                    + exchange.getRequestHeaders().getFirst("Host"));
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            if (path.startsWith("/status/")) {
                exchange.sendResponseHeaders(Integer.parseInt(path.substring(8)), -1);
            } else if (path.equals("/body")) {
                exchange.sendResponseHeaders(200, 0); // chunked
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("{\"status\":".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    out.write("\"serving\"}".getBytes(StandardCharsets.UTF_8));
                }
            } else {
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        http.start();
        return http.getAddress().getPort();
    }

    private int serve() throws Exception {
        return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    private ProbeResult check(Map<String, String> settings, int port, Duration timeout) throws Exception {
        String[] pairs = settings.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(),
                e.getValue())).toArray(String[]::new);
        try (HealthProbe probe = provider.create(MapPluginConfig.of(pairs))) {
            return probe.check(target(port, timeout)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void isRegisteredForServiceLoader() {
        assertTrue(ServiceLoader.load(HealthProbeProvider.class).stream()
                .anyMatch(p -> p.type() == HttpProbeProvider.class));
    }

    @Test
    void healthyOnAnExpectedStatusWithTheBackendAsHost() throws Exception {
        // The Host header is the backend's host as configured (here the loopback address's name) and port.
        int port = serve();
        assertEquals(ProbeResult.healthy(), check(Map.of(), port, TIMEOUT));
        assertEquals(ProbeResult.healthy(), check(Map.of("path", "/status/302"), port, TIMEOUT));
        assertEquals(List.of("GET / host=localhost:" + port, "GET /status/302 host=localhost:" + port), seen);
    }

    @Test
    void methodPathAndHostAreSentAsConfigured() throws Exception {
        int port = serve();
        assertEquals(ProbeResult.healthy(), check(Map.of("method", "head", "path", "/status/204?deep=1",
                "host", "app.example.com", "expect-status", "200,204"), port, TIMEOUT));
        assertEquals(List.of("HEAD /status/204?deep=1 host=app.example.com"), seen);
    }

    @Test
    void anUnexpectedStatusIsTheReason() throws Exception {
        int port = serve();
        assertEquals(ProbeResult.unhealthy("status 503, expected 200-399"),
                check(Map.of("path", "/status/503"), port, TIMEOUT));
        assertEquals(ProbeResult.unhealthy("status 204, expected 200"),
                check(Map.of("path", "/status/204", "expect-status", "200"), port, TIMEOUT));
    }

    @Test
    void bodyContainsReadsSizedAndChunkedBodies() throws Exception {
        int port = serve();
        assertEquals(ProbeResult.healthy(), check(Map.of("body-contains", "ok"), port, TIMEOUT));
        assertEquals(ProbeResult.healthy(), check(Map.of("path", "/body", "body-contains", "\"serving\""), port,
                TIMEOUT));
        assertEquals(ProbeResult.unhealthy("status 200 but the body does not contain \"ready\""),
                check(Map.of("path", "/body", "body-contains", "ready"), port, TIMEOUT));
    }

    @Test
    void refusedConnection() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertEquals(ProbeResult.unhealthy("connection refused"), check(Map.of(), port, TIMEOUT));
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket held = silent.accept()) {
                    held.getInputStream().readAllBytes();
                } catch (Exception e) {
                    // closed by the test
                }
            });
            long started = System.nanoTime();
            assertEquals(ProbeResult.unhealthy("timed out after 300ms"),
                    check(Map.of(), silent.getLocalPort(), Duration.ofMillis(300)));
            long took = System.nanoTime() - started;
            assertTrue(took >= Duration.ofMillis(250).toNanos(), "waited for the timeout: " + took);
            acceptor.interrupt();
        }
    }

    @Test
    void somethingThatIsNotHttp() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket client = smtp.accept()) {
                        if (i == 0) {
                            client.getOutputStream().write("220 mail ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            assertEquals(ProbeResult.unhealthy("not an HTTP response: \"220 mail ESMTP\""),
                    check(Map.of(), smtp.getLocalPort(), TIMEOUT));
            assertEquals(ProbeResult.unhealthy("the connection closed without a response"),
                    check(Map.of(), smtp.getLocalPort(), TIMEOUT));
        }
    }

    @Test
    void tlsWithASelfSignedCertificateNeedsInsecure() throws Exception {
        SSLContext context = selfSigned();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        int port = serve(https);
        assertEquals(ProbeResult.healthy(), check(Map.of("tls", "true", "insecure", "true", "path", "/status/200"),
                port, TIMEOUT));
        ProbeResult strict = check(Map.of("tls", "true", "path", "/status/200"), port, TIMEOUT);
        assertTrue(strict.reason().startsWith("TLS handshake failed: "), strict.reason());
        assertEquals(List.of("GET /status/200 host=localhost:" + port), seen, "only the insecure check got through");
        ProbeResult plain = check(Map.of("path", "/status/200"), port, TIMEOUT);
        assertTrue(!plain.isHealthy(), "plain HTTP to a TLS port fails: " + plain);
    }

    private SSLContext selfSigned() throws Exception {
        Path keystore = dir.resolve("backend.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "backend", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=backend.test", "-ext", "SAN=dns:backend.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(30, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void badSettingsAreRefusedAtTheirKey() {
        assertProblem("method", "must be an HTTP method", "method", "GET /");
        assertProblem("path", "must start with /", "path", "healthz");
        assertProblem("path", "must start with /", "path", "/health z");
        assertProblem("expect-status", "expected statuses such as 200, 200-399 or 200,204,300-399, got \"2xx\"",
                "expect-status", "2xx");
        assertProblem("expect-status", "range 399-200 ends before it starts", "expect-status", "399-200");
        assertProblem("expect-status", "HTTP statuses are 100 to 599, got 99", "expect-status", "99");
        assertProblem("body-contains", "cannot be checked with method HEAD", "method", "HEAD", "body-contains", "x");
        assertProblem("body-contains", "must not be empty", "body-contains", "");
        assertProblem("host", "must be a host name", "host", "a b");
        assertProblem("insecure", "only applies with tls: true", "insecure", "true");
        assertProblem("port", "must be between 1 and 65535, was 0", "port", "0");
    }

    private void assertProblem(String key, String start, String... settings) {
        PluginConfigException e = assertThrows(PluginConfigException.class,
                () -> provider.create(MapPluginConfig.of(settings)));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void statusRanges() {
        StatusRange range = StatusRange.parse("200, 204,300-399");
        assertTrue(range.contains(200) && range.contains(204) && range.contains(301));
        assertTrue(!range.contains(201) && !range.contains(400));
        assertEquals("200,204,300-399", range.toString());
    }
}

package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.config.TlsConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS terminated on the listener (PEM files, ALPN http/1.1), and TLS from the proxy to a backend. */
@Timeout(120)
class TlsTest {

    @TempDir
    static Path dir;
    static TestCertificate certificate;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.create(dir);
    }

    @Test
    void httpsWithTheJdkClient() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).tls(new TlsConfig(certificate.cert, certificate.key)).start();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(certificate.clientContext()).connectTimeout(Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/secure")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                // Asked for h2, offered only http/1.1 by ALPN.
                assertEquals(HttpClient.Version.HTTP_1_1, response.version());
                assertEquals("Hello from " + a + "\n", response.body());
            }
            assertEquals("https", a.lastRequest().header("x-forwarded-proto"));
            assertEquals(1, a.totalConnections());
        }
    }

    @Test
    void httpsWithCurl() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).tls(new TlsConfig(certificate.cert, certificate.key)).start()) {
            String url = "https://127.0.0.1:" + proxy.address().getPort() + "/curl";
            // Two URLs in one curl run: the second reuses the connection (keep-alive over TLS).
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert",
                    certificate.cert.toString(), "-w", "%{http_code} %{http_version} %{num_connects}\\n", url, url)
                    .redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), output);
            assertEquals("Hello from " + a + "\n200 1.1 1\nHello from " + a + "\n200 1.1 0\n", output);
            assertEquals(2, a.requests());
        }
    }

    @Test
    void tlsToBackends() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy inner = HttpProxy.builder(a).tls(new TlsConfig(certificate.cert, certificate.key)).start();
                HttpProxy outer = HttpProxy.builder().firstBackend("inner", inner.address())
                        .http(h -> h.withBackendTls(new HttpListenerConfig.BackendTls(certificate.cert, true)))
                        .start();
                HttpClient client = BasicHttpProxyTest.client()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(outer.uri("/through")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("Hello from " + a + "\n", response.body());
            }
            assertEquals("1.1 lb, 1.1 lb", a.lastRequest().header("via"), "both proxies were crossed");
            assertEquals("https", a.lastRequest().header("x-forwarded-proto"));
            assertEquals(1, inner.lb.openConnections(), "one kept-alive TLS connection between the proxies");
        }
    }

    @Test
    void unusablePemFilesAreNamedWhenTheServerIsBuilt() throws Exception {
        Path badCert = dir.resolve("bad.crt");
        java.nio.file.Files.writeString(badCert, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        try (DummyHttpBackend a = DummyHttpBackend.start("a")) {
            IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> HttpProxy.builder(a).tls(new TlsConfig(badCert, certificate.key)).start());
            assertTrue(error.getMessage().startsWith("listener web: cannot use tls.cert " + badCert + " with tls.key "
                    + certificate.key + ": "), error.getMessage());
        }
    }

    @Test
    void anUntrustedBackendCertificateIsABadGateway() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy inner = HttpProxy.builder(a).tls(new TlsConfig(certificate.cert, certificate.key)).start();
                HttpProxy outer = HttpProxy.builder().firstBackend("inner", inner.address())
                        .http(h -> h.withBackendTls(new HttpListenerConfig.BackendTls(null, true)))
                        .start();
                HttpClient client = BasicHttpProxyTest.client()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(outer.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, response.statusCode());
            assertEquals(0, a.requests());
        }
    }
}

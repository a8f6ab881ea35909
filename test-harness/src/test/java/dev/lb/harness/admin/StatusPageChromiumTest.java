package dev.lb.harness.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the admin listener's status page in headless Chromium (Debian's {@code chromium}; {@code run-tests} installs
 * it through {@code tools/install-chromium.sh}), checks that each backend and its state is rendered by the page's
 * script, and saves a screenshot as {@code target/status-page.png}.
 */
class StatusPageChromiumTest {

    @TempDir
    Path dir;

    private static String chromium() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Chromium is not installed: run tools/install-chromium.sh (as root it installs"
                + " Debian's chromium package), or set CHROMIUM=/path/to/chromium");
    }

    /** Runs headless Chromium on {@code url} with {@code extra} flags; returns its standard output. */
    private String runChromium(String url, Path profile, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                // Lets the page's fetch of /status and a few polls complete before the DOM or the picture is taken.
                "--virtual-time-budget=5000"));
        command.addAll(List.of(extra));
        command.add(url);
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish within 90s; its stderr:\n" + Files.readString(err));
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed; its stderr:\n" + read(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void statusPageShowsEveryBackendAndItsState() throws Exception {
        try (DummyTcpBackend b1 = DummyTcpBackend.start("b1"); DummyTcpBackend b2 = DummyTcpBackend.start("b2");
                DummyTcpBackend b3 = DummyTcpBackend.start("b3")) {
            String yaml = """
                    listeners:
                      - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                    pools:
                      app:
                        backends:
                          - { name: b1, address: "127.0.0.1:%d", weight: 3 }
                          - { name: b2, address: "127.0.0.1:%d" }
                          - { name: b3, address: "127.0.0.1:%d" }
                        health: { probe: tcp, interval: 200ms, timeout: 150ms, rise: 1, fall: 1 }
                    admin: { bind: 127.0.0.1:0 }
                    """.formatted(b1.address().getPort(), b2.address().getPort(), b3.address().getPort());
            try (AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), yaml, null)) {
                for (int i = 0; i < 30; i++) {
                    Traffic.exchange(lb.listener("l4"));
                }
                assertEquals(200, lb.post("/backends/app/b2/drain").statusCode());
                b3.stop();
                assertTrue(Traffic.await(Duration.ofSeconds(20),
                        () -> !lb.lb.pool("app").backend("b3").orElseThrow().isHealthy()), "b3 seen down");

                String url = lb.adminUri("/").toString();
                String dom = runChromium(url, dir.resolve("profile-dom"), "--dump-dom");
                assertTrue(dom.contains("data-backend=\"b1\" data-state=\"up\""), dom);
                assertTrue(dom.contains("data-backend=\"b2\" data-state=\"draining\""), dom);
                assertTrue(dom.contains("data-backend=\"b3\" data-state=\"down\""), dom);
                assertTrue(dom.contains("data-listener=\"l4\""), dom);
                assertTrue(dom.contains("1 of 3 eligible"), dom);

                Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
                Files.createDirectories(screenshot.getParent());
                Files.deleteIfExists(screenshot);
                runChromium(url, dir.resolve("profile-shot"), "--screenshot=" + screenshot, "--window-size=1280,900",
                        "--hide-scrollbars");
                assertTrue(Files.size(screenshot) > 10_000, "a real picture: " + Files.size(screenshot) + " bytes");
                byte[] png = Files.readAllBytes(screenshot);
                assertEquals((byte) 0x89, png[0]);
                assertEquals('P', png[1]);
            }
        }
    }
}

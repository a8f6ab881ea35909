package dev.lb.harness.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.runtime.config.ConfigException;
import dev.lb.spi.EventType;
import dev.lb.spi.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

@Timeout(60)
class LbExtensionTest {

    @RegisterExtension
    final LbExtension lb = LbExtension.of(LbSpec.tcp().backends(2).health(Duration.ofMillis(100), 1, 1)
            .connectTimeout(Duration.ofMillis(500)));

    @Test
    void givesTheDefaultBalancerBehindFaultProxies(TestBed bed, Harness harness, ToxiproxyServer toxiproxy)
            throws Exception {
        assertEquals(List.of(bed), harness.started(), "the TestBed parameter is the harness's first balancer");
        assertEquals(Protocol.TCP, bed.listener().protocol());
        assertEquals(List.of("a", "b"), bed.backends().stream().map(TestBackend::name).toList());
        for (TestBackend backend : bed.backends()) {
            assertEquals(backend.link().address(), backend.state().address(), "the balancer goes through the proxy");
            assertEquals(backend.server().address(), backend.link().upstream());
            assertNotNull(toxiproxy.client().getProxyOrNull(backend.link().name()));
        }
        assertEquals("a", identity(bed.address()));
        assertEquals("b", identity(bed.address()));

        bed.backend("a").link().down();
        bed.events().await(EventType.BACKEND_DOWN, "a", Duration.ofSeconds(10));
        assertEquals("b", identity(bed.address()));
    }

    @Test
    void theConfigGoesThroughTheRealLoader(Harness harness) throws Exception {
        ConfigException wrong = assertThrows(ConfigException.class,
                () -> harness.start(LbSpec.tcp().algorithm("round-robn")));
        assertTrue(wrong.getMessage().startsWith("pools.app.algorithm: unknown algorithm \"round-robn\" (known: "),
                wrong.getMessage());
        assertTrue(wrong.getMessage().contains("round-robin"), wrong.getMessage());
        assertEquals(List.of(), harness.started(), "nothing left running by a refused spec");
    }

    @Test
    void aUsersFileRunsWithItsBackendsStoodInFor(Harness harness, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("mine.yaml"), """
                listeners:
                  - { name: edge, bind: 10.1.2.3:80, pool: web, connect-attempts: 2 }
                pools:
                  web:
                    algorithm: random
                    backends:
                      - 127.0.0.1:9001
                      - { name: db-ish, address: 127.0.0.1:9002, weight: 5, labels: { zone: b } }
                notifiers: [ log ]
                """);
        TestBed bed = harness.start(file);
        assertEquals(List.of("127.0.0.1:9001", "db-ish"), bed.backends().stream().map(TestBackend::name).toList());
        assertEquals("127.0.0.1", bed.address().getAddress().getHostAddress(), "listeners bind loopback");
        assertEquals(5, bed.backend("db-ish").state().weight());
        assertEquals(Map.of("zone", "b"), bed.config().pools().get("web").backends().get(1).labels());
        assertEquals("random", bed.config().pools().get("web").algorithm().type());
        assertEquals(1, bed.config().notifiers().size());
        assertEquals("harness-recorder", bed.config().notifiers().getFirst().plugin().type());
        String served = identity(bed.address());
        assertTrue(List.of("127.0.0.1:9001", "db-ish").contains(served), served);
    }

    @Test
    void cleansUpAfterATestThatFails() throws Exception {
        FailingFixture.seen.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setProperty(FailingFixture.ENABLED, "true");
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(FailingFixture.class)).build(), listener);
        } finally {
            System.clearProperty(FailingFixture.ENABLED);
        }
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsFailedCount(), "the fixture fails on purpose");
        assertEquals("on purpose", summary.getFailures().getFirst().getException().getMessage());
        TestBed bed = FailingFixture.seen.getFirst();
        assertThrows(ConnectException.class, () -> new Socket(bed.address().getAddress(), bed.address().getPort())
                .close(), "the balancer is closed");
        for (TestBackend backend : bed.backends()) {
            assertFalse(backend.server().isRunning(), backend + " stopped");
        }
        ToxiproxyServer shared = FailingFixture.toxiproxy;
        for (TestBackend backend : bed.backends()) {
            assertNull(shared.client().getProxyOrNull(backend.link().name()), "proxy deleted");
        }
    }

    private static String identity(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.connect(address, 5_000);
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }

    /** Run by {@link #cleansUpAfterATestThatFails} only: disabled when a test run picks it up by itself. */
    @LoadBalancerTest
    @EnabledIfSystemProperty(named = FailingFixture.ENABLED, matches = "true")
    static class FailingFixture {
        static final String ENABLED = "lb.harness.failing-fixture";
        static final List<TestBed> seen = new CopyOnWriteArrayList<>();
        static volatile ToxiproxyServer toxiproxy;

        @Test
        void failsWithEverythingRunning(TestBed bed, ToxiproxyServer server) {
            seen.add(bed);
            toxiproxy = server;
            throw new AssertionError("on purpose");
        }
    }
}

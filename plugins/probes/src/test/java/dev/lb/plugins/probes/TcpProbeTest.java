package dev.lb.plugins.probes;

import static dev.lb.plugins.probes.TestTargets.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.testkit.MapPluginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TcpProbeTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final TcpProbeProvider provider = new TcpProbeProvider();

    @Test
    void isRegisteredForServiceLoader() {
        assertTrue(ServiceLoader.load(HealthProbeProvider.class).stream()
                .anyMatch(p -> p.type() == TcpProbeProvider.class));
        assertEquals("tcp", provider.name());
    }

    @Test
    void listeningPortIsHealthyAndTheProbeClosesItsConnection() throws Exception {
        try (ServerSocket server = loopbackServer(50); HealthProbe probe = provider.create(MapPluginConfig.of())) {
            ProbeResult result = await(probe.check(target(server.getLocalPort(), ONE_SECOND)));
            assertEquals(ProbeResult.healthy(), result);

            // The probe's connection was accepted into the backlog; it must already be closed by the probe.
            server.setSoTimeout(5_000);
            try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                accepted.setSoTimeout(5_000);
                assertEquals(-1, in.read(), "the probe should close its connection after connecting");
            }
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port = closedPort();
        try (HealthProbe probe = provider.create(MapPluginConfig.of())) {
            ProbeResult result = await(probe.check(target(port, ONE_SECOND)));
            assertEquals(ProbeResult.unhealthy("connection refused"), result);
        }
    }

    @Test
    void portSettingProbesAnotherPortThanTheTrafficPort() throws Exception {
        int trafficPort = closedPort();
        try (ServerSocket health = loopbackServer(50);
                HealthProbe probe = provider.create(MapPluginConfig.of("port", "" + health.getLocalPort()))) {
            assertEquals(ProbeResult.healthy(), await(probe.check(target(trafficPort, ONE_SECOND))));
        }
    }

    @Test
    void portSettingOutOfRangeIsAConfigurationError() {
        PluginConfigException zero = assertThrows(PluginConfigException.class,
                () -> provider.create(MapPluginConfig.of("port", "0")));
        assertEquals("port", zero.key());
        assertThrows(PluginConfigException.class, () -> provider.create(MapPluginConfig.of("port", "65536")));
    }

    /**
     * A listening socket with backlog 1 that never accepts: once its accept queue is full, Linux drops further SYNs,
     * so a connect to it hangs until the client gives up, which is exactly a backend that does not answer.
     */
    @Test
    void unansweredConnectTimesOutAtTheTargetTimeout() throws Exception {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket server = loopbackServer(1); HealthProbe probe = provider.create(MapPluginConfig.of())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            boolean full = false;
            for (int i = 0; i < 20 && !full; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(address, 300);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            assertTrue(full, "the accept queue of a backlog-1 socket should fill within 20 connections");

            ProbeResult result = await(probe.check(target(server.getLocalPort(), Duration.ofMillis(300))));
            assertEquals(ProbeResult.unhealthy("timed out after 300ms"), result);
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    @Test
    void closeStopsTheChannelGroupAndLaterChecksFailClearly() throws Exception {
        TcpProbe probe = (TcpProbe) provider.create(MapPluginConfig.of());
        assertFalse(probe.hasRunningGroup(), "create must not start threads (lb validate calls it)");
        try (ServerSocket server = loopbackServer(50)) {
            assertEquals(ProbeResult.healthy(), await(probe.check(target(server.getLocalPort(), ONE_SECOND))));
            assertTrue(probe.hasRunningGroup());
            probe.close();
            assertFalse(probe.hasRunningGroup());
            ProbeResult after = await(probe.check(target(server.getLocalPort(), ONE_SECOND)));
            assertEquals(ProbeResult.unhealthy("cannot open a socket: the tcp probe is closed"), after);
        }
    }

    @Test
    void manyConcurrentChecksShareOneGroup() throws Exception {
        try (ServerSocket server = loopbackServer(200); HealthProbe probe = provider.create(MapPluginConfig.of())) {
            List<CompletableFuture<ProbeResult>> checks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                checks.add(probe.check(target(server.getLocalPort(), Duration.ofSeconds(5))).toCompletableFuture());
            }
            for (var check : checks) {
                assertEquals(ProbeResult.healthy(), check.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void reasonsAreTheOnesAnOperatorActsOn() {
        assertEquals("connection refused", TcpProbe.reason(new ConnectException("Connection refused")));
        assertEquals("no route to host", TcpProbe.reason(new NoRouteToHostException("No route to host")));
        assertEquals("network is unreachable", TcpProbe.reason(new IOException("Network is unreachable")));
        assertEquals("connect failed: Too many open files", TcpProbe.reason(new IOException("Too many open files")));
        assertEquals("connect failed: IOException", TcpProbe.reason(new IOException()));
        assertEquals("1s", TcpProbe.format(Duration.ofSeconds(1)));
        assertEquals("1500ms", TcpProbe.format(Duration.ofMillis(1500)));
    }

    private static ServerSocket loopbackServer(int backlog) throws IOException {
        return new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = loopbackServer(1)) {
            return socket.getLocalPort();
        }
    }

    private static ProbeResult await(CompletionStage<ProbeResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package dev.lb.harness.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.TestSockets;
import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.runtime.pool.BackendState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Passive health from live TCP traffic (connect failures eject), and drain from config and at run time. */
@Timeout(90)
class PassiveHealthAndDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void connectFailuresOfLiveTrafficEjectABackendWithoutProbesAndItIsReadmitted() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                Balancer balancer = Balancer.start("""
                        listeners:
                          - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app, connect-attempts: 2 }
                        pools:
                          app:
                            backends:
                              - { name: a, address: %s }
                              - { name: b, address: %s }
                            outlier-detection:
                              consecutive-failures: 2
                              base-ejection-time: 3s
                              max-ejection-time: 10s
                        notifiers:
                          - { type: webhook, url: "%s" }
                        """.formatted(WebhookHealthTest.address(a), WebhookHealthTest.address(b), receiver.url()),
                        dir)) {
            BackendState stateB = balancer.pool("app").backend("b").orElseThrow();
            b.stop();
            // Clients sent to b fail over to a (two attempts); b's failures pile up until it is ejected.
            for (int i = 0; i < 8 && !stateB.isEjected(); i++) {
                assertEquals("a", balancer.identity("l4"));
            }
            WebhookReceiver.Received down = receiver.await("backend-down", "b", 0, WAIT);
            assertTrue(down.json().path("reason").asText().startsWith(
                    "ejected by outlier detection for 3s: 2 consecutive connect failures (last: "), down.body());
            assertTrue(stateB.isHealthy(), "no probe said otherwise: only ejected");
            assertEquals(Map.of("a", 10), serve(balancer, 10), "an ejected backend gets no traffic");

            // Wide enough that the ten clients above never outlast the ejection and re-eject b while it is stopped.
            b.restart();
            WebhookReceiver.Received up = receiver.await("backend-up", "b", 0, WAIT);
            assertEquals("ejection of 3s by outlier detection ended", up.json().path("reason").asText());
            assertEquals(Map.of("a", 5, "b", 5), serve(balancer, 10), "readmitted");
        }
    }

    @Test
    void drainAtRunTimeLetsOpenConnectionsFinishAndEnableBringsTheBackendBack() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                Balancer balancer = Balancer.start("""
                        listeners:
                          - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                        pools:
                          app:
                            backends:
                              - { name: a, address: %s }
                              - { name: b, address: %s }
                            health: { interval: 200ms, timeout: 200ms }
                        notifiers:
                          - { type: webhook, url: "%s", events: [backend-drained, backend-up, pool-empty] }
                        """.formatted(WebhookHealthTest.address(a), WebhookHealthTest.address(b), receiver.url()),
                        dir)) {
            // Find a connection that landed on b and keep it open across the drain.
            Socket onB = null;
            for (int i = 0; i < 4 && onB == null; i++) {
                Socket socket = TestSockets.connect(balancer.address("l4"));
                if ("b".equals(TestSockets.readLine(socket.getInputStream()))) {
                    onB = socket;
                } else {
                    socket.close();
                }
            }
            assertTrue(onB != null, "round robin reaches b");
            try (Socket open = onB) {
                assertTrue(balancer.pool("app").drain("b"));
                WebhookReceiver.Received drained = receiver.await("backend-drained", "b", 0, WAIT);
                assertEquals("drained by operator", drained.json().path("reason").asText());
                assertEquals(Map.of("a", 6), serve(balancer, 6), "no new traffic to a draining backend");
                assertEquals("still served", echo(open, "still served"), "the open connection goes on working");
                assertEquals(1, b.openConnections());
            }
            assertTrue(balancer.pool("app").enable("b"));
            WebhookReceiver.Received up = receiver.await("backend-up", "b", 0, WAIT);
            assertEquals("drain ended by operator", up.json().path("reason").asText());
            assertEquals(Map.of("a", 3, "b", 3), serve(balancer, 6));
        }
    }

    @Test
    void aBackendDrainedInTheConfigurationTakesNoTrafficUntilEnabled() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                Balancer balancer = Balancer.start("""
                        listeners:
                          - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                        pools:
                          app:
                            backends:
                              - { name: a, address: %s }
                              - { name: b, address: %s, drain: true }
                        """.formatted(WebhookHealthTest.address(a), WebhookHealthTest.address(b)), dir)) {
            assertEquals(Map.of("a", 6), serve(balancer, 6));
            assertEquals("draining", balancer.pool("app").backend("b").orElseThrow().stateName());
            balancer.pool("app").enable("b");
            assertEquals(Map.of("a", 3, "b", 3), serve(balancer, 6));
            assertFalse(balancer.pool("app").enable("b"), "already enabled");
        }
    }

    /** Sends a line on an open connection and returns the line the backend echoes. */
    private static String echo(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return TestSockets.readLine(socket.getInputStream());
    }

    private static Map<String, Integer> serve(Balancer balancer, int connections) throws IOException {
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            String identity = balancer.identity("l4");
            served.merge(identity == null ? "<closed>" : identity, 1, Integer::sum);
        }
        return served;
    }
}

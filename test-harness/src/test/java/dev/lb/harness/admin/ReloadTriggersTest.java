package dev.lb.harness.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.runtime.reload.ReloadResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reload triggers (file watch, SIGHUP) and how listeners are added, moved and removed by a reload. */
class ReloadTriggersTest {

    @TempDir
    Path dir;

    private static String config(DummyTcpBackend backend, String extraListeners) {
        return """
                listeners:
                  - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                %s
                pools:
                  app: { backends: [ { name: %s, address: "127.0.0.1:%d" } ] }
                admin: { bind: 127.0.0.1:0 }
                """.formatted(extraListeners, backend.name(), backend.address().getPort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aChangedFileIsReloadedByTheWatch() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a"); DummyTcpBackend b = DummyTcpBackend.start("b");
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config(a, ""), null)) {
            lb.reloads.watchFile(Duration.ofMillis(200));
            Files.writeString(lb.file, config(b, ""));
            assertTrue(Traffic.await(Duration.ofSeconds(30), () -> lb.reloads.appliedCount() == 1),
                    "the file watch reloaded");
            assertEquals("file-watch", lb.reloads.last().trigger());
            assertEquals("b", Traffic.exchange(lb.listener("l4")));
        }
    }

    @Test
    void sighupReloads() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a"); DummyTcpBackend b = DummyTcpBackend.start("b");
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config(a, ""), null)) {
            assertTrue(lb.reloads.handleSighup(), "SIGHUP can be handled on this platform");
            Files.writeString(lb.file, config(b, ""));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                    .inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(Traffic.await(Duration.ofSeconds(30), () -> lb.reloads.appliedCount() == 1),
                    "SIGHUP reloaded");
            assertEquals("SIGHUP", lb.reloads.last().trigger());
            assertEquals("b", Traffic.exchange(lb.listener("l4")));
        }
    }

    @Test
    void listenersAreAddedMovedAndRemoved() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config(a,
                        "  - { name: extra, protocol: tcp, bind: 127.0.0.1:0, pool: app }"), null)) {
            InetSocketAddress l4 = lb.listener("l4");
            int first = lb.listener("extra").getPort();
            assertEquals("a", Traffic.exchange(new InetSocketAddress("127.0.0.1", first)));

            // A port found free is free only until something else takes it (an outgoing connection, another test):
            // if it was taken before the reload could bind it, move to another.
            int moved = 0;
            ReloadResult result = null;
            for (int attempt = 0; attempt < 3 && (result == null || !result.applied()); attempt++) {
                moved = freePort();
                Files.writeString(lb.file, config(a, "  - { name: extra, protocol: tcp, bind: 127.0.0.1:" + moved
                        + ", pool: app }\n  - { name: added, protocol: tcp, bind: 127.0.0.1:0, pool: app }"));
                result = lb.reloads.reload("test");
            }
            assertTrue(result.applied(), result.toString());
            assertEquals(java.util.List.of("extra"), result.diff().listenersChanged());
            assertEquals(java.util.List.of("added"), result.diff().listenersAdded());
            assertEquals(l4, lb.listener("l4"));
            assertEquals("a", Traffic.exchange(new InetSocketAddress("127.0.0.1", moved)));
            assertEquals("a", Traffic.exchange(lb.listener("added")));
            assertThrows(IOException.class, () -> new Socket("127.0.0.1", first).close(), "the old port is closed");

            Files.writeString(lb.file, config(a, ""));
            result = lb.reloads.reload("test");
            assertEquals(java.util.List.of("extra", "added"), result.diff().listenersRemoved());
            assertThrows(IllegalArgumentException.class, () -> lb.listener("added"));
            assertEquals("a", Traffic.exchange(l4));
        }
    }

    @Test
    void aListenerThatCannotBindRefusesTheWholeReload() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a"); DummyTcpBackend b = DummyTcpBackend.start("b");
                ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config(a, ""), null)) {
            Files.writeString(lb.file, config(b, "  - { name: clash, protocol: tcp, bind: 127.0.0.1:"
                    + taken.getLocalPort() + ", pool: app }"));
            ReloadResult result = lb.reloads.reload("test");
            assertFalse(result.applied());
            assertTrue(result.error().contains("clash"), result.error());
            assertEquals("a", Traffic.exchange(lb.listener("l4")), "the running configuration still serves");
            assertNotEquals(null, lb.lb.pool("app").backend("a").orElse(null));
        }
    }

    @Test
    void moveToAPortInUseRefusesTheReloadAndTheListenerStays() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), config(a,
                        "  - { name: extra, protocol: tcp, bind: 127.0.0.1:0, pool: app }"), null)) {
            int first = lb.listener("extra").getPort();
            Files.writeString(lb.file, config(a, "  - { name: extra, protocol: tcp, bind: 127.0.0.1:"
                    + taken.getLocalPort() + ", pool: app }"));
            ReloadResult result = lb.reloads.reload("test");
            assertFalse(result.applied());
            assertTrue(result.error().contains("extra"), result.error());
            assertEquals(first, lb.listener("extra").getPort());
            assertEquals("a", Traffic.exchange(new InetSocketAddress("127.0.0.1", first)));
        }
    }
}

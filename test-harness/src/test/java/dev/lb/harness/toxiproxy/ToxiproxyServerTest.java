package dev.lb.harness.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Launching, connecting to and stopping the real toxiproxy-server, and the failures a user can meet. */
@Timeout(60)
class ToxiproxyServerTest {

    @TempDir
    Path dir;

    /** The real binary; fails (never skips) with how-to-install advice when there is none. */
    private static Path binary() {
        return ToxiproxyLocator.fromSystem().locateBinary().binary().orElseThrow();
    }

    @Test
    void launchesOnLoopbackAndKillsTheServerOnClose() throws Exception {
        ToxiproxyServer server = ToxiproxyServer.launch(binary());
        Path log = server.log().orElseThrow();
        URI api = server.apiUrl();
        try {
            assertTrue(server.launched());
            assertEquals("127.0.0.1", api.getHost());
            assertFalse(server.client().version().isBlank());
            assertEquals(List.of(), server.client().getProxies());
            assertTrue(Files.readString(log).contains("Starting Toxiproxy"), () -> "log: " + log);
        } finally {
            server.close();
        }

        // close() waits for the process to end, so its port is closed at once.
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", api.getPort()), 5_000);
            }
        });
        assertFalse(Files.exists(log), "the log of a clean run is deleted");
        assertThrows(IllegalStateException.class,
                () -> server.proxy("after-close", new java.net.InetSocketAddress("127.0.0.1", 1)));
        server.close(); // idempotent
    }

    @Test
    void connectsToARunningServerAndLeavesItRunning() throws Exception {
        try (ToxiproxyServer owner = ToxiproxyServer.launch(binary());
             DummyHttpBackend backend = DummyHttpBackend.start("connect-target")) {
            owner.proxy("guest-made", backend.address()); // a leftover of the same name is replaced

            try (ToxiproxyServer guest = ToxiproxyServer.connect(owner.apiUrl())) {
                assertFalse(guest.launched());
                assertTrue(guest.log().isEmpty());
                FaultProxy proxy = guest.proxy("guest-made", backend.address());
                assertTrue(RawExchange.get(proxy.address()).completeOk());
            }

            assertNull(owner.client().getProxyOrNull("guest-made"), "the guest deletes the proxies it made");
            assertFalse(owner.client().version().isBlank(), "and leaves the server running");
        }
    }

    @Test
    void connectSaysSoWhenNothingAnswers() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        URI nothing = URI.create("http://127.0.0.1:" + port);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ToxiproxyServer.connect(nothing, Duration.ofMillis(300)));

        assertTrue(e.getMessage().startsWith("No Toxiproxy server answers at " + nothing + "/version"), e.getMessage());
        assertTrue(e.getMessage().contains("unset TOXIPROXY_URL"), e.getMessage());
    }

    @Test
    void aBinaryThatExitsAtOnceIsReportedWithItsOutput() throws IOException {
        Path fake = script("not-toxiproxy", "echo 'this is not toxiproxy' >&2; exit 3");
        Path logs = Files.createDirectory(dir.resolve("logs"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ToxiproxyServer.launch(fake, logs));

        assertTrue(e.getMessage().startsWith(fake + " exited with status 3 before its API answered"), e.getMessage());
        assertTrue(e.getMessage().contains("this is not toxiproxy"), e.getMessage());
        assertEquals(List.of(), logFiles(logs), "a failed start leaves no log file behind");
    }

    @Test
    void aPortTakenAtStartIsRetriedThenReported() throws IOException {
        Path counter = dir.resolve("starts");
        Path fake = script("port-taken",
                "echo x >> '" + counter + "'; echo 'listen tcp 127.0.0.1:1: bind: address already in use'; exit 1");
        Path logs = Files.createDirectory(dir.resolve("logs"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ToxiproxyServer.launch(fake, logs));

        assertTrue(e.getMessage().contains("could not bind"), e.getMessage());
        assertEquals(3, Files.readAllLines(counter).size(), "three ports tried");
        assertEquals(List.of(), logFiles(logs), "failed starts leave no log file behind");
    }

    @Test
    void aFileThatCannotRunIsReportedWithTheFix() throws IOException {
        Path text = Files.writeString(dir.resolve("toxiproxy-server"), "not a program");
        Path logs = Files.createDirectory(dir.resolve("logs"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ToxiproxyServer.launch(text, logs));

        assertTrue(e.getMessage().startsWith("Cannot run " + text), e.getMessage());
        assertTrue(e.getMessage().contains("tools/install-toxiproxy.sh"), e.getMessage());
        assertEquals(List.of(), logFiles(logs), "a failed start leaves no log file behind");
    }

    private static List<Path> logFiles(Path logs) throws IOException {
        try (var files = Files.list(logs)) {
            return files.toList();
        }
    }

    private Path script(String name, String body) throws IOException {
        Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}

package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.junit.Await;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit's TCP backend: identity, echo, counts, stop and restart on the same port. */
@Timeout(30)
class DummyTcpBackendTest {

    @Test
    void identifiesEchoesCountsAndRestartsOnTheSamePort() throws Exception {
        try (DummyTcpBackend backend = DummyTcpBackend.start("alpha")) {
            InetSocketAddress address = backend.address();
            assertEquals("127.0.0.1", address.getAddress().getHostAddress());
            try (Client client = new Client(address)) {
                assertEquals("alpha", client.readLine());
                client.out.write("echo me".getBytes());
                assertEquals("echo me", new String(client.readExactly(7)));
                Await.until(() -> backend.openConnections() == 1, "one open connection");
            }
            Await.until(() -> backend.openConnections() == 0, "closed");
            assertEquals(1, backend.totalConnections());

            backend.stop();
            assertFalse(backend.isRunning());
            assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());

            backend.restart();
            assertTrue(backend.isRunning());
            assertEquals(address, backend.address());
            assertEquals("alpha", Client.identityThrough(address));
            assertEquals(2, backend.totalConnections());
            assertThrows(IllegalStateException.class, backend::restart);
            assertEquals(7, backend.bytesEchoed());
        }
    }

    @Test
    void delaysDropsAndClosesOnDemand() throws Exception {
        try (DummyTcpBackend backend = DummyTcpBackend.start("slow")) {
            backend.delay(Duration.ofMillis(200));
            long started = System.nanoTime();
            try (Client client = new Client(backend.address())) {
                assertEquals("slow", client.readLine());
                assertTrue(System.nanoTime() - started >= Duration.ofMillis(190).toNanos(), "identity held back");
                long sent = System.nanoTime();
                client.out.write("late".getBytes());
                assertEquals("late", new String(client.readExactly(4)));
                assertTrue(System.nanoTime() - sent >= Duration.ofMillis(190).toNanos(), "echo held back");
            }
            backend.delay(Duration.ZERO).dropConnections(true);
            try (Client client = new Client(backend.address())) {
                assertEquals(-1, client.in.read(), "closed at once without an identity");
            }
            backend.dropConnections(false);
            try (Client client = new Client(backend.address())) {
                assertEquals("slow", client.readLine());
                Await.until(() -> backend.openConnections() == 1, "open");
                backend.closeConnections();
                assertEquals(-1, client.in.read(), "cut by closeConnections");
                assertTrue(backend.isRunning(), "still accepting");
            }
        }
    }
}

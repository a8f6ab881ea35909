package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.junit.Await;
import dev.lb.harness.junit.Harness;
import dev.lb.harness.junit.LoadBalancerTest;
import dev.lb.runtime.transport.TransportKind;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The relay itself, with backends reached directly: a proxy in between would change half-close and timing. */
@LoadBalancerTest
@Timeout(60)
class RelayL4Test {

    @ParameterizedTest(name = "transport: {0}")
    @MethodSource("dev.lb.runtime.transport.TransportKind#available")
    void halfCloseStillDeliversTheRestOfTheEcho(TransportKind transport, Harness harness) throws Exception {
        byte[] payload = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(1), o -> o.transport(transport));
        assertEquals(transport, bed.lb().transport());
        try (Client client = new Client(bed.address())) {
            assertEquals("a", client.readLine());
            // Write everything and shut the output while the echo is still on its way back.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    client.out.write(payload);
                    client.socket.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echoed = client.readExactly(payload.length);
            writer.get(30, TimeUnit.SECONDS);
            assertArrayEquals(payload, echoed);
            assertEquals(-1, client.in.read(), "the backend's half-close reaches the client after the echo");
        }
    }

    @Test
    void clientThatSendsAndHalfClosesBeforeTheBackendIsReachedIsServed(Harness harness) throws Exception {
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(1));
        for (int i = 0; i < 20; i++) {
            try (Client client = new Client(bed.address())) {
                // Likely still connecting to the backend when these arrive: nothing may be lost.
                client.out.write(("request " + i).getBytes());
                client.socket.shutdownOutput();
                assertEquals("a", client.readLine());
                assertEquals("request " + i, new String(client.in.readAllBytes()));
            }
        }
    }

    @Test
    void idleTimeoutClosesAnIdleRelay(Harness harness) throws Exception {
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(1).idleTimeout(Duration.ofMillis(300)));
        DummyTcpBackend a = bed.backend("a").tcp();
        try (Client client = new Client(bed.address())) {
            assertEquals("a", client.readLine());
            client.out.write("ping".getBytes());
            assertEquals("ping", new String(client.readExactly(4)));
            // Nothing moves now: the proxy closes both sides after 300ms; the read returns well before its 10s limit.
            assertEquals(-1, client.in.read());
            Await.until(() -> a.openConnections() == 0, "the backend side is closed too");
            Await.until(() -> bed.backend("a").state().activeConnections() == 0,
                    "active connections counted down");
        }
    }

    @Test
    void idleTimeoutFreesARelayStuckOnABackendThatStoppedReading(Harness harness) throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket deaf = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    accepted.add(deaf.accept()); // accepted, never read
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            try {
                TestBed bed = harness.startDirect(LbSpec.tcp().backends(0)
                        .externalBackend("deaf", (InetSocketAddress) deaf.getLocalSocketAddress())
                        .idleTimeout(Duration.ofMillis(500)));
                var backend = bed.pool().backend("deaf").orElseThrow();
                Client client = new Client(bed.address());
                AtomicLong written = new AtomicLong();
                Thread writer = Thread.ofVirtual().start(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    try {
                        for (int i = 0; i < 1024; i++) {
                            client.out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                    } catch (Exception expected) {
                        // the socket is closed under the writer
                    }
                });
                Await.until(() -> backend.activeConnections() == 1, "relay to the deaf backend is up");
                // Wait until the whole chain is full and the writer blocks, then leave.
                long last = -1;
                while (written.get() != last) {
                    last = written.get();
                    Thread.sleep(200);
                }
                client.close();
                writer.join(5_000);
                // The client's end of input is forwarded only after what is queued for the backend is flushed, which
                // never happens: the half-open relay would stay forever (it does, with the default 1m idle timeout)
                // were it not for the idle timeout.
                Await.until(() -> backend.activeConnections() == 0, "the idle timeout closed the stuck relay");
            } finally {
                acceptor.interrupt();
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void gracefulCloseDrainsOpenConnectionsAndRefusesNewOnes(Harness harness) throws Exception {
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(1));
        var address = bed.address();
        Client client = new Client(address);
        try {
            assertEquals("a", client.readLine());
            assertEquals(1, bed.backend("a").state().activeConnections());
            CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(
                    () -> bed.lb().close(Duration.ofSeconds(20)));
            Await.until(() -> refused(address), "new connections are refused while draining");
            for (int i = 0; i < 3; i++) {
                client.out.write(("still here " + i).getBytes());
                assertEquals("still here " + i, new String(client.readExactly(12)));
            }
            assertEquals(false, closing.isDone(), "close waits for the open connection");
            client.close();
            assertEquals(true, closing.get(15, TimeUnit.SECONDS), "drained before the timeout");
        } finally {
            client.close();
        }
    }

    private static boolean refused(java.net.InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

}

package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.harness.junit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timeouts of a client connection on the HTTP listener, whose codec and proxy handler are only added at the
 * client's first bytes: the header timeout runs from accept (and, between requests, from the first byte of the next
 * one), the idle timeout from the last byte either way, and a client that connects and waits gets served when it
 * finally sends. Bounds are generous: the machine may be slow; only "not before the timeout" is tight.
 */
@Timeout(60)
class ClientTimeoutsTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void aClientThatSendsNothingGets408AtTheHeaderTimeoutAndIsClosed() throws Exception {
        Duration header = Duration.ofMillis(500);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withTimeouts(header, h.responseTimeout())).start();
                RawClient silent = new RawClient(proxy.address())) {
            long started = System.nanoTime();
            RawClient.Response response = silent.readResponse();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(408, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(millis >= header.toMillis() - 50, "not before the header timeout: " + millis + "ms");
            assertTrue(silent.closedByPeer(), "closed after the 408");
            assertEquals(0, a.requests());
            awaitNoConnections(proxy);
        }
    }

    @Test
    void aClientThatSendsItsRequestLateButWithinTheHeaderTimeoutIsServed() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .http(h -> h.withTimeouts(Duration.ofSeconds(20), h.responseTimeout())).start();
                RawClient late = new RawClient(proxy.address())) {
            awaitConnections(proxy, 1); // accepted, and idle with nothing sent
            late.send("GET /late HTTP/1.1\r\n");
            Thread.sleep(200); // the rest of the head in another packet: the handlers added at the first bytes parse on
            late.send("Host: x\r\n\r\n");
            assertEquals(200, late.readResponse().status());
            late.send(GET);
            assertEquals(200, late.readResponse().status(), "the connection serves the next request too");
            assertEquals(2, a.requests());
        }
    }

    @Test
    void aClientThatClosesWithoutSendingAnythingIsForgotten() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .http(h -> h.withTimeouts(Duration.ofMinutes(1), h.responseTimeout())).start()) {
            RawClient shy = new RawClient(proxy.address());
            RawClient halfShut = new RawClient(proxy.address());
            awaitConnections(proxy, 2);
            shy.close();
            halfShut.socket.shutdownOutput(); // the listener allows half-closure, but there is nothing to answer
            awaitNoConnections(proxy); // long before either timeout
            assertTrue(halfShut.closedByPeer());
            halfShut.close();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedSilentlyAtAnIdleTimeoutShorterThanTheHeaderTimeout() throws Exception {
        Duration idle = Duration.ofMillis(400);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).idleTimeout(idle)
                        .http(h -> h.withTimeouts(Duration.ofSeconds(30), h.responseTimeout())).start();
                RawClient silent = new RawClient(proxy.address())) {
            long started = System.nanoTime();
            assertEquals(-1, silent.socket.getInputStream().read(), "closed without an answer");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= idle.toMillis() - 50, "not before the idle timeout: " + millis + "ms");
            assertTrue(millis < 15_000, "at the idle timeout, not the header timeout: " + millis + "ms");
            awaitNoConnections(proxy);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeoutWithoutA408() throws Exception {
        Duration idle = Duration.ofMillis(500);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).idleTimeout(idle)
                        .http(h -> h.withTimeouts(Duration.ofMillis(300), h.responseTimeout())).start();
                RawClient client = new RawClient(proxy.address())) {
            client.send(GET);
            assertEquals(200, client.readResponse().status());
            long answered = System.nanoTime();
            // Between requests the header clock does not run, though it is shorter: the idle timeout closes.
            assertEquals(-1, client.socket.getInputStream().read(), "closed without another answer");
            long millis = (System.nanoTime() - answered) / 1_000_000;
            assertTrue(millis >= idle.toMillis() - 50, "not before the idle timeout: " + millis + "ms");
            awaitNoConnections(proxy);
        }
    }

    @Test
    void betweenRequestsTheHeaderClockStartsAtTheFirstByteOfTheNextRequest() throws Exception {
        Duration header = Duration.ofMillis(400);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).idleTimeout(Duration.ofMinutes(1))
                        .http(h -> h.withTimeouts(header, h.responseTimeout())).start();
                RawClient client = new RawClient(proxy.address())) {
            client.send(GET);
            assertEquals(200, client.readResponse().status());
            Thread.sleep(3 * header.toMillis()); // idle between requests for longer than the header timeout
            client.send(GET);
            assertEquals(200, client.readResponse().status(), "a keep-alive connection may idle between requests");
            long started = System.nanoTime();
            client.send("GET /stalled HTTP/1.1\r\n"); // and then nothing
            RawClient.Response response = client.readResponse();
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(408, response.status());
            assertTrue(millis >= header.toMillis() - 50, "not before the header timeout: " + millis + "ms");
            assertTrue(client.closedByPeer());
            assertEquals(2, a.requests());
        }
    }

    @Test
    void anIdleWebSocketTunnelIsClosedAfterTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(500);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).idleTimeout(idle).start();
                RawClient client = new RawClient(proxy.address())) {
            client.send("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertEquals(101, client.readResponseHeadOnly().status());
            long switched = System.nanoTime();
            assertEquals(-1, client.socket.getInputStream().read(), "the silent tunnel is closed");
            long millis = (System.nanoTime() - switched) / 1_000_000;
            assertTrue(millis >= idle.toMillis() - 50, "not before the idle timeout: " + millis + "ms");
        }
    }

    @Test
    void shutdownClosesConnectionsThatSentNothingOrPartOfAHeadAtOnce() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a")) {
            HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withTimeouts(Duration.ofMinutes(1), h.responseTimeout()))
                    .start();
            try (RawClient silent = new RawClient(proxy.address());
                    RawClient partial = new RawClient(proxy.address())) {
                partial.send("GET /part");
                awaitConnections(proxy, 2);
                // The drain allows far longer than the sockets wait: only closing at once lets them see the end.
                CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(
                        () -> proxy.lb.close(Duration.ofSeconds(45)));
                assertTrue(endsWithin(silent, 15_000), "the silent connection was closed");
                assertTrue(endsWithin(partial, 15_000), "the partial one was closed");
                assertTrue(closed.get(30, TimeUnit.SECONDS), "nothing was left to close after the drain");
            }
        }
    }

    /** Whether the stream ends (end of stream or reset) before {@code millis}; what it sends meanwhile is dropped. */
    private static boolean endsWithin(RawClient client, int millis) throws IOException {
        client.socket.setSoTimeout(millis);
        InputStream in = client.socket.getInputStream();
        try {
            byte[] buffer = new byte[512];
            while (in.read(buffer) >= 0) {
                // whatever comes before the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    private static void awaitConnections(HttpProxy proxy, int count) throws InterruptedException {
        Await.until(() -> proxy.lb.openConnections() == count, count + " open client connections, not "
                + proxy.lb.openConnections());
    }

    private static void awaitNoConnections(HttpProxy proxy) throws InterruptedException {
        awaitConnections(proxy, 0);
    }
}

package dev.lb.harness.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault, through a real toxiproxy-server in front of a {@link DummyHttpBackend}, with its observable effect on
 * a client. Delays are asserted as lower bounds only: a loaded machine makes things slower, never faster.
 */
@Timeout(60)
class FaultProxyTest {

    private static final AtomicInteger PROXY_NAMES = new AtomicInteger();

    private static ToxiproxyServer toxiproxy;
    private static DummyHttpBackend backend;

    private FaultProxy link;
    private HttpClient http;

    @BeforeAll
    static void startServers() {
        // Fails (never skips) with how-to-install advice when there is no toxiproxy-server.
        toxiproxy = ToxiproxyServer.start();
        backend = DummyHttpBackend.start("toxic-target");
    }

    @AfterAll
    static void stopServers() {
        if (backend != null) {
            backend.close();
        }
        if (toxiproxy != null) {
            toxiproxy.close();
        }
    }

    @BeforeEach
    void createLink() {
        link = toxiproxy.proxy("fault-proxy-test-" + PROXY_NAMES.incrementAndGet(), backend.address());
        // A fresh client per test, so no pooled connection carries over from one fault to the next.
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void removeLink() {
        http.close();
        link.close();
    }

    @Test
    void forwardsToTheBackendWithoutFaults() throws Exception {
        long before = backend.requests();

        HttpResponse<String> response = get(Duration.ofSeconds(10));

        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("Hello from toxic-target"), response.body());
        assertEquals(before + 1, backend.requests());
        assertEquals("127.0.0.1", link.address().getHostString());
        assertEquals(backend.address(), link.upstream());
        assertTrue(link.isUp());
        assertEquals(List.of(), link.faultNames());
    }

    @Test
    void downRefusesConnectionsAndUpRestoresThemOnTheSamePort() throws Exception {
        link.down();

        assertFalse(link.isUp());
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(link.address(), 5_000);
            }
        });
        assertThrows(ConnectException.class, () -> get(Duration.ofSeconds(10)));

        link.up();

        assertTrue(link.isUp());
        assertEquals(200, get(Duration.ofSeconds(10)).statusCode());
    }

    @Test
    void downCutsOpenConnections() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(link.address(), 5_000);
            socket.setSoTimeout(10_000);

            link.down();

            // Cut: the next read ends the stream or fails, instead of waiting for data that never comes.
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertEquals(-1, read);
        }
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void latencyDelaysTheExchange(Direction direction) throws Exception {
        Fault fault = link.latency(direction, Duration.ofMillis(300), Duration.ofMillis(50));

        long start = System.nanoTime();
        HttpResponse<String> response = get(Duration.ofSeconds(20));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(200, response.statusCode());
        assertTrue(elapsed.toMillis() >= 200, "a 300 ms (+-50) latency toxic " + direction + " took only " + elapsed);
        assertEquals("latency", fault.type());
        assertEquals(direction, fault.direction());
        assertEquals(List.of(fault.name()), link.faultNames());
    }

    @Test
    void resetPeerResetsTheConnection() {
        link.resetPeer(Direction.DOWNSTREAM, Duration.ZERO);

        RawExchange exchange = RawExchange.get(link.address());

        assertNotNull(exchange.error(), () -> "expected a reset, got " + exchange);
        assertInstanceOf(SocketException.class, exchange.error(), exchange::toString);
        assertTrue(exchange.error().getMessage().contains("reset"), exchange::toString);
        assertEquals(0, exchange.received().length, exchange::toString);
    }

    @Test
    void resetPeerAfterADelayResetsOnlyThen() {
        link.resetPeer(Direction.UPSTREAM, Duration.ofMillis(300));

        RawExchange exchange = RawExchange.get(link.address());

        assertInstanceOf(SocketException.class, exchange.error(), exchange::toString);
        assertTrue(exchange.end().toMillis() >= 200, exchange::toString);
    }

    @Test
    void timeoutClosesSilentlyAfterTheDelay() {
        long before = backend.requests();
        link.timeout(Direction.UPSTREAM, Duration.ofMillis(500));

        RawExchange exchange = RawExchange.get(link.address());

        assertEquals(0, exchange.received().length, exchange::toString);
        assertTrue(exchange.end().toMillis() >= 400, exchange::toString);
        assertEquals(before, backend.requests(), "the request must not have got through");
    }

    @Test
    void timeoutZeroHangsUntilRemoved() throws Exception {
        long before = backend.requests();
        Fault blackHole = link.timeout(Direction.DOWNSTREAM, Duration.ZERO);

        assertThrows(HttpTimeoutException.class, () -> get(Duration.ofMillis(800)));

        blackHole.remove();

        assertEquals(200, get(Duration.ofSeconds(10)).statusCode());
        assertTrue(backend.requests() > before);
    }

    @Test
    void bandwidthLimitsTheThroughput() throws Exception {
        long before = backend.bodyBytesReceived();
        link.bandwidth(Direction.UPSTREAM, 10);
        byte[] body = new byte[20_000];

        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri())
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(200, response.statusCode());
        assertEquals(before + body.length, backend.bodyBytesReceived());
        // 20 KB at 10 KB/s is 2 s.
        assertTrue(elapsed.toMillis() >= 1_000, "20 KB at 10 KB/s took only " + elapsed);
    }

    @Test
    void slicerFragmentsTheResponse() {
        link.slicer(Direction.DOWNSTREAM, 8, 2, Duration.ofMillis(25));

        RawExchange exchange = RawExchange.get(link.address());

        assertTrue(exchange.completeOk(), exchange::toString);
        // About 150 bytes in slices of 6 to 10, 25 ms apart: reads cannot all coalesce.
        assertTrue(exchange.reads() >= 4, exchange::toString);
        assertTrue(exchange.end().toMillis() >= 250, exchange::toString);
    }

    @Test
    void limitDataTruncatesTheResponse() {
        link.limitData(Direction.DOWNSTREAM, 20);

        RawExchange exchange = RawExchange.get(link.address());

        assertTrue(exchange.received().length <= 20, exchange::toString);
        assertTrue(exchange.text().startsWith("HTTP/1.1 200"), exchange::toString);
        assertFalse(exchange.completeOk(), exchange::toString);
        assertThrows(IOException.class, () -> get(Duration.ofSeconds(10)));
    }

    @Test
    void limitDataTruncatesTheRequest() {
        long before = backend.requests();
        link.limitData(Direction.UPSTREAM, 10);

        RawExchange exchange = RawExchange.get(link.address());

        assertEquals(0, exchange.received().length, exchange::toString);
        assertEquals(before, backend.requests(), "a 10-byte request must not be answered");
    }

    @Test
    void slowCloseDelaysTheEndOfTheStream() {
        link.slowClose(Direction.DOWNSTREAM, Duration.ofMillis(600));

        RawExchange exchange = RawExchange.get(link.address());

        assertTrue(exchange.completeOk(), exchange::toString);
        // Measured from the request, not from the last byte: a reader slowed by load could only make that shorter.
        assertTrue(exchange.end().toMillis() >= 500, exchange::toString);
    }

    @Test
    void healRemovesEveryFaultAndBringsTheLinkUp() throws Exception {
        link.latency(Direction.DOWNSTREAM, Duration.ofSeconds(5), Duration.ZERO);
        link.limitData(Direction.DOWNSTREAM, 1);
        Fault reset = link.resetPeer(Direction.UPSTREAM, Duration.ZERO);
        link.down();
        assertEquals(3, link.faultNames().size());

        link.heal();

        assertEquals(List.of(), link.faultNames());
        assertTrue(link.isUp());
        assertTrue(RawExchange.get(link.address()).completeOk());
        assertEquals(200, get(Duration.ofSeconds(10)).statusCode());
        reset.remove(); // already gone: a no-op, not an error
    }

    @Test
    void removingAFaultRestoresService() throws Exception {
        Fault reset = link.resetPeer(Direction.DOWNSTREAM, Duration.ZERO);
        assertNotNull(RawExchange.get(link.address()).error());

        reset.remove();
        reset.remove();

        assertEquals(List.of(), link.faultNames());
        assertEquals(200, get(Duration.ofSeconds(10)).statusCode());
    }

    @Test
    void faultsStackAndAreNamedApart() {
        Fault first = link.latency(Direction.DOWNSTREAM, Duration.ofMillis(1), Duration.ZERO);
        Fault second = link.latency(Direction.DOWNSTREAM, Duration.ofMillis(1), Duration.ZERO);

        assertFalse(first.name().equals(second.name()));
        assertEquals(2, link.faultNames().size());

        try (second) {
            first.close();
        }
        assertEquals(List.of(), link.faultNames());
    }

    @Test
    void zeroToxicityLeavesConnectionsAlone() {
        link.resetPeer(Direction.DOWNSTREAM, Duration.ZERO).toxicity(0);

        assertTrue(RawExchange.get(link.address()).completeOk());
    }

    /** Each fault, each way: added, listed, removed, and the link is clean again. */
    @ParameterizedTest
    @EnumSource(Direction.class)
    void everyFaultCanBeAddedAndRemovedEachWay(Direction direction) {
        List<BiFunction<FaultProxy, Direction, Fault>> faults = List.of(
                (p, d) -> p.latency(d, Duration.ofMillis(10), Duration.ofMillis(5)),
                (p, d) -> p.bandwidth(d, 1_000),
                (p, d) -> p.timeout(d, Duration.ofSeconds(1)),
                (p, d) -> p.resetPeer(d, Duration.ofSeconds(1)),
                (p, d) -> p.slowClose(d, Duration.ofMillis(10)),
                (p, d) -> p.slicer(d, 100, 10, Duration.ofMillis(1)),
                (p, d) -> p.limitData(d, 1_000_000));
        for (BiFunction<FaultProxy, Direction, Fault> add : faults) {
            Fault fault = add.apply(link, direction);
            assertEquals(direction, fault.direction());
            assertEquals(List.of(fault.name()), link.faultNames());
            assertTrue(fault.name().startsWith(fault.type() + "_" + direction.name().toLowerCase()), fault.name());
            fault.remove();
            assertEquals(List.of(), link.faultNames());
        }
        assertTrue(RawExchange.get(link.address()).completeOk());
    }

    @Test
    void rejectsNonsenseArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> link.latency(Direction.UPSTREAM, Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> link.bandwidth(Direction.UPSTREAM, 0));
        assertThrows(IllegalArgumentException.class, () -> link.limitData(Direction.UPSTREAM, 0));
        assertThrows(IllegalArgumentException.class, () -> link.slicer(Direction.UPSTREAM, 8, 8, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> link.resetPeer(Direction.UPSTREAM, Duration.ZERO).toxicity(1.5));
    }

    @Test
    void removingAFaultOfAClosedProxyIsANoOp() {
        FaultProxy extra = toxiproxy.proxy("fault-proxy-test-closed", backend.address());
        Fault fault = extra.latency(Direction.UPSTREAM, Duration.ofMillis(1), Duration.ZERO);

        extra.close();

        fault.remove();
    }

    @Test
    void closeDeletesTheProxy() throws Exception {
        FaultProxy extra = toxiproxy.proxy("fault-proxy-test-extra", backend.address());
        InetSocketAddress address = extra.address();

        extra.close();
        extra.close();

        assertEquals(null, toxiproxy.client().getProxyOrNull("fault-proxy-test-extra"));
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(address, 5_000);
            }
        });
    }

    private HttpResponse<String> get(Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri()).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + link.address().getPort() + "/");
    }
}

package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.harness.junit.Await;
import dev.lb.runtime.pool.BackendState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The per-connection timers of the HTTP listener (the response timeout and the idle timeout each keep one pending
 * check per connection that re-arms itself): they measure from the current request or the last activity, not from
 * when the connection or its first request began, and they still fire.
 */
class TimeoutsTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

    @Test
    void theResponseTimeoutCountsFromEachRequestOfAKeepAliveConnection() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .http(h -> h.withTimeouts(h.headerTimeout(), timeout)).start();
                RawClient raw = new RawClient(proxy.address())) {
            // Six answers that each take half the timeout, three timeouts in all: none may be cut short.
            a.delay(timeout.dividedBy(2));
            for (int i = 1; i <= 6; i++) {
                raw.send(GET);
                assertEquals(200, raw.readResponse().status(), "request " + i + " was answered");
            }
            // The same connection still times out a backend that is too slow.
            a.delay(Duration.ofSeconds(5));
            raw.send(GET);
            RawClient.Response late = raw.readResponse();
            assertEquals(504, late.status());
            assertEquals("504 Gateway Timeout\n", late.body());
            a.delay(Duration.ZERO);
            raw.send(GET);
            assertEquals(200, raw.readResponse().status(), "the connection is still usable after the 504");
        }
    }

    @Test
    void anIdleClientConnectionIsClosedButABusyOneIsNot() throws Exception {
        Duration idle = Duration.ofMillis(500);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).idleTimeout(idle).start();
                RawClient busy = new RawClient(proxy.address());
                RawClient quiet = new RawClient(proxy.address())) {
            quiet.send(GET);
            assertEquals(200, quiet.readResponse().status());
            // A request every fifth of the timeout, for three timeouts: the busy connection must stay open.
            long start = System.nanoTime();
            while (System.nanoTime() - start < idle.multipliedBy(3).toNanos()) {
                busy.send(GET);
                assertEquals(200, busy.readResponse().status());
                Thread.sleep(idle.dividedBy(5).toMillis());
            }
            // The quiet one said nothing for longer than the timeout: the proxy has closed it (or does so now).
            assertTrue(quiet.closedByPeer(), "the idle connection was closed");
            busy.send(GET);
            assertEquals(200, busy.readResponse().status(), "the busy connection is still open");
        }
    }

    @Test
    void aBackendConnectionInSteadyUseOutlivesTheBackendIdleTimeout() throws Exception {
        Duration backendIdle = Duration.ofMillis(400);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).http(h -> h.withBackendIdleTimeout(backendIdle)).start();
                RawClient raw = new RawClient(proxy.address())) {
            // A request every fifth of the timeout, for three timeouts: the pooled connection is reused throughout.
            long start = System.nanoTime();
            while (System.nanoTime() - start < backendIdle.multipliedBy(3).toNanos()) {
                raw.send(GET);
                assertEquals(200, raw.readResponse().status());
                Thread.sleep(backendIdle.dividedBy(5).toMillis());
            }
            assertEquals(1, a.totalConnections(), "one backend connection served every request");
            BackendState state = proxy.lb.pool("app").backend("a").orElseThrow();
            awaitNoConnections(state);
            assertEquals(0, state.activeConnections(), "closed once unused for backend-idle-timeout");
        }
    }

    @Test
    void aPooledBackendConnectionSilentForTheIdleTimeoutIsClosed() throws Exception {
        // backend-idle-timeout is 30 s by default: the connection's own idle timeout closes it first.
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).idleTimeout(Duration.ofMillis(400)).start();
                RawClient raw = new RawClient(proxy.address())) {
            raw.send(GET);
            assertEquals(200, raw.readResponse().status());
            BackendState state = proxy.lb.pool("app").backend("a").orElseThrow();
            awaitNoConnections(state);
            assertEquals(0, state.activeConnections(), "the silent pooled connection was closed");
        }
    }

    private static void awaitNoConnections(BackendState state) throws InterruptedException {
        Await.until(() -> state.activeConnections() == 0, "no connection open to " + state.name());
    }
}

package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.harness.junit.Await;
import dev.lb.runtime.http.HttpListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend removed by a reload keeps no connection pool in the HTTP listener: its idle keep-alive connections close
 * at once rather than at backend-idle-timeout, and a long run of reloads does not accumulate one pool per backend
 * that ever was.
 */
@Timeout(60)
class BackendPoolsReloadTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

    @Test
    void aRemovedBackendsIdleConnectionsCloseAtOnceAndItsPoolIsForgotten() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                DummyHttpBackend c = DummyHttpBackend.start("c");
                HttpProxy proxy = HttpProxy.builder(a, b).start();
                RawClient client = new RawClient(proxy.address())) {
            for (int i = 0; i < 4; i++) {
                client.send(GET);
                assertEquals(200, client.readResponse().status());
            }
            Await.until(() -> b.openConnections() == 1, "a pooled keep-alive connection to b");
            HttpListener listener = proxy.listener();
            assertEquals(2, listener.backendConnectionPools());

            proxy.reloadWithBackends(a, c);
            // backend-idle-timeout is 30 s: only the reload can close b's idle connection within this wait.
            Await.until(() -> b.openConnections() == 0, Duration.ofSeconds(10), "b's idle connection closed");
            assertEquals(1, listener.backendConnectionPools(), "only a's pool is left until c gets traffic");
            for (int i = 0; i < 4; i++) {
                client.send(GET);
                assertEquals(200, client.readResponse().status(), "served after the reload");
            }
            assertEquals(1, a.openConnections(), "a's pooled connection kept across the reload");

            for (int round = 0; round < 10; round++) {
                proxy.reloadWithBackends(a, round % 2 == 0 ? b : c);
                client.send(GET);
                assertEquals(200, client.readResponse().status());
                client.send(GET);
                assertEquals(200, client.readResponse().status());
            }
            assertEquals(2, listener.backendConnectionPools(), "one pool per current member, whatever came before");
        }
    }
}

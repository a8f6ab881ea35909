package dev.lb.runtime.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.TestPlugins;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginKind;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time a picker sees ({@code PickContext.nanoTime()}) is the placement's: taken by the runtime while the
 * connection or request is being placed, never a stale one, and read afresh for a retry. The pool's first backend
 * refuses connections and the picker always picks it, so every placement is a first attempt and a retry.
 */
class PickTimeTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /** One pick as the picker saw it. */
    private record Seen(int attempt, long nanoTime) {
    }

    /** {@code first-recording}: records each pick's attempt and time, and picks the first eligible backend. */
    private static final class RecordingProvider implements AlgorithmProvider {

        final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

        @Override
        public String name() {
            return "first-recording";
        }

        @Override
        public String description() {
            return "test: records the time of each pick";
        }

        @Override
        public Algorithm create(PluginConfig config) {
            return snapshot -> context -> {
                seen.add(new Seen(context.attempt(), context.nanoTime()));
                return snapshot.eligible().isEmpty() ? null : snapshot.eligible().get(0);
            };
        }
    }

    @Test
    void aTcpConnectionsPicksSeeTheTimeOfTheirConnectAttempt() throws Exception {
        RecordingProvider recorder = new RecordingProvider();
        try (ServerSocket backend = new ServerSocket(0, 50, LOOPBACK)) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = backend.accept()) {
                    accepted.getOutputStream().write('!');
                    accepted.getInputStream().read(); // until the client closes
                } catch (Exception e) {
                    // the test fails on its own reading below
                }
            });
            LoadBalancer lb = start("tcp", backend.getLocalPort(), recorder);
            try {
                long before = System.nanoTime();
                try (Socket client = new Socket()) {
                    client.connect(lb.boundAddress("web"), 5_000);
                    client.setSoTimeout(10_000);
                    assertEquals('!', client.getInputStream().read(), "relayed from the live backend");
                    assertPlacementTimes(recorder, before, System.nanoTime());
                }
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void anHttpRequestsPicksSeeTheRequestsTimeAndARetrysOwn() throws Exception {
        RecordingProvider recorder = new RecordingProvider();
        HttpServer backend = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.start();
        try {
            LoadBalancer lb = start("http", backend.getAddress().getPort(), recorder);
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                InetSocketAddress address = lb.boundAddress("web");
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/"))
                        .timeout(Duration.ofSeconds(10)).build();
                long before = System.nanoTime();
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                long after = System.nanoTime();
                assertEquals(200, response.statusCode(), response.body());
                assertPlacementTimes(recorder, before, after);
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
        } finally {
            backend.stop(0);
        }
    }

    /**
     * One placement: a first attempt (to the refusing backend) then a retry, all picks inside {@code [before, after]},
     * the retry's picks at one time of their own, no earlier than the first attempt's.
     */
    private static void assertPlacementTimes(RecordingProvider recorder, long before, long after) {
        List<Seen> seen = new ArrayList<>(recorder.seen);
        assertTrue(seen.size() >= 2, "a first attempt and a retry: " + seen);
        assertEquals(0, seen.get(0).attempt(), seen.toString());
        long first = seen.get(0).nanoTime();
        for (Seen pick : seen) {
            assertTrue(pick.nanoTime() - before >= 0 && after - pick.nanoTime() >= 0,
                    "pick " + pick + " outside the placement [" + before + ", " + after + "]");
            if (pick.attempt() > 0) {
                assertTrue(pick.nanoTime() - first >= 0, "a retry's time " + pick + " before the first's " + first);
            }
        }
        List<Seen> retries = seen.stream().filter(s -> s.attempt() == 1).toList();
        assertTrue(!retries.isEmpty(), "the refused first attempt was retried: " + seen);
        assertTrue(retries.stream().allMatch(s -> s.nanoTime() == retries.get(0).nanoTime()),
                "the repicks of one attempt share its time: " + retries);
    }

    /** A balancer: listener {@code web} ({@code protocol}) before a refusing backend, then the one at {@code port}. */
    private LoadBalancer start(String protocol, int port, RecordingProvider recorder) throws Exception {
        int refusing;
        try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
            refusing = closed.getLocalPort(); // closed again at once: connecting there is refused
        }
        PluginCatalog catalog = PluginCatalog.of(List.of(new LoadedPlugin(PluginKind.ALGORITHM, recorder, "test")));
        LbConfig config = TestPlugins.loader().fromValues(Map.of(
                "listeners", List.of(Map.of("name", "web", "protocol", protocol, "bind", "127.0.0.1:0", "pool", "app",
                        "connect-timeout", Duration.ofSeconds(5), "connect-attempts", 3)),
                "pools", Map.of("app", Map.of(
                        "algorithm", Map.of("type", recorder.name()),
                        "backends", List.of("127.0.0.1:" + refusing, "127.0.0.1:" + port)))),
                dir, catalog);
        LoadBalancer lb = LoadBalancer.builder(config, catalog).workerThreads(1).build();
        lb.start();
        return lb;
    }
}

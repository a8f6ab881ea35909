package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyHttpBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded burst from many concurrent clients over both event loops: every request answered by the backend it was
 * sent to, the in-flight counts back to zero, backend connections bounded by the pool rather than by the requests.
 */
@Timeout(120)
class ConcurrencyTest {

    private static final int CLIENTS = 16;
    private static final int REQUESTS_EACH = 150;

    @Test
    void manyClientsAtOnce() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).start();
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            long started = System.nanoTime();
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (HttpClient http = BasicHttpProxyTest.client()) {
                        for (int i = 0; i < REQUESTS_EACH; i++) {
                            HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri("/c" + client + "/" + i));
                            if (i % 3 == 0) {
                                request.POST(HttpRequest.BodyPublishers.ofString("body of " + client + "/" + i));
                            }
                            HttpResponse<String> response = http.send(request.build(),
                                    HttpResponse.BodyHandlers.ofString());
                            String backend = response.headers().firstValue("X-Backend").orElseThrow();
                            if (response.statusCode() == 200
                                    && response.body().equals("Hello from " + (backend.equals("a") ? a : b) + "\n")) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> result : results) {
                ok += result.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            int total = CLIENTS * REQUESTS_EACH;
            assertEquals(total, ok);
            assertEquals(total, a.requests() + b.requests());
            for (String name : List.of("a", "b")) {
                assertEquals(0, proxy.lb.pool("app").backend(name).orElseThrow().inFlightRequests(), name);
            }
            int backendConnections = a.totalConnections() + b.totalConnections();
            System.out.printf("http concurrency: %d requests from %d clients in %.1fs (%.0f req/s, JDK clients, not a"
                    + " benchmark); %d backend connections opened%n", total, CLIENTS, seconds, total / seconds,
                    backendConnections);
            // At most one busy connection per concurrent client, whatever the number of requests.
            assertEquals(true, backendConnections <= 2 * CLIENTS, "backend connections: " + backendConnections);
        }
    }
}

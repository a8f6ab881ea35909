package dev.lb.harness.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.spi.Protocol;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shipped HTTP policies through a real HTTP listener, and a hot reload under traffic. */
@Timeout(120)
class ScriptedHttpTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(ScriptedLb lb, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(lb.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String backendOf(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("X-Backend").orElseThrow();
    }

    @Test
    void canaryHeaderAndShare() throws Exception {
        try (DummyHttpBackend stable = DummyHttpBackend.start("stable");
                DummyHttpBackend canary = DummyHttpBackend.start("canary");
                ScriptedLb lb = new ScriptedLb(Protocol.HTTP, ScriptedLb.EXAMPLES.resolve("canary.js"),
                        Map.of("canary", "canary", "percent", 5), stable, canary)) {
            for (int i = 0; i < 10; i++) {
                assertEquals("canary", backendOf(get(lb, "/", "X-Canary", "1")));
            }
            int toCanary = 0;
            for (int i = 0; i < 200; i++) {
                if (backendOf(get(lb, "/")).equals("canary")) {
                    toCanary++;
                }
            }
            // 5% of 200 is 10; these bounds are more than four standard deviations wide.
            assertTrue(toCanary >= 1 && toCanary <= 25, "canary got " + toCanary + " of 200");
        }
    }

    @Test
    void stickyByCookie() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                DummyHttpBackend c = DummyHttpBackend.start("c");
                ScriptedLb lb = new ScriptedLb(Protocol.HTTP, ScriptedLb.EXAMPLES.resolve("sticky.js"),
                        Map.of("cookie", "SESSION"), a, b, c)) {
            Set<String> used = new HashSet<>();
            for (int user = 0; user < 12; user++) {
                String cookie = "SESSION=user-" + user + "; theme=dark";
                String first = backendOf(get(lb, "/", "Cookie", cookie));
                for (int again = 0; again < 4; again++) {
                    assertEquals(first, backendOf(get(lb, "/page/" + again, "Cookie", cookie)), "user-" + user);
                }
                used.add(first);
            }
            assertTrue(used.size() >= 2, "sessions spread: " + used);
        }
    }

    @Test
    void routeByPathPrefix() throws Exception {
        try (DummyHttpBackend web = DummyHttpBackend.start("web");
                DummyHttpBackend api = DummyHttpBackend.start("api");
                ScriptedLb lb = new ScriptedLb(Protocol.HTTP, ScriptedLb.EXAMPLES.resolve("path.js"),
                        Map.of("routes", Map.of("/api/", "api", "/", "web")), web, api)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("api", backendOf(get(lb, "/api/users/" + i + "?full=1")));
                assertEquals("web", backendOf(get(lb, "/index.html")));
            }
            assertEquals(5, api.requests());
            assertEquals(5, web.requests());
        }
    }

    @Test
    void latencyWeightedPrefersTheFastBackend() throws Exception {
        try (DummyHttpBackend fast = DummyHttpBackend.start("fast");
                DummyHttpBackend slow = DummyHttpBackend.start("slow");
                ScriptedLb lb = new ScriptedLb(Protocol.HTTP, ScriptedLb.EXAMPLES.resolve("latency.js"),
                        Map.of(), fast, slow)) {
            slow.delay(Duration.ofMillis(100));
            // Let both be measured, then the live figures steer the traffic.
            for (int i = 0; i < 20; i++) {
                backendOf(get(lb, "/warm"));
            }
            int toFast = 0;
            for (int i = 0; i < 60; i++) {
                if (backendOf(get(lb, "/")).equals("fast")) {
                    toFast++;
                }
            }
            assertTrue(toFast >= 45, "the fast backend got " + toFast + " of 60");
        }
    }

    @Test
    void hotReloadUnderTrafficChangesBehaviourWithNoFailedRequest(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.js");
        write(dir, file, "export function pick(request, backends) { return 'a'; }\n");
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                ScriptedLb lb = new ScriptedLb(Protocol.HTTP, file, Map.of(), a, b)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("a", backendOf(get(lb, "/")));
            }
            write(dir, file, "export function pick(request, backends) { return 'b'; }\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int requests = 0;
            String last = "a";
            while (!last.equals("b") && System.nanoTime() < deadline) {
                last = backendOf(get(lb, "/during")); // asserts 200 for every request under the reload
                requests++;
            }
            assertEquals("b", last, "the new policy took over after " + requests + " requests");
            // A broken version is refused: b keeps serving, still without a failed request.
            write(dir, file, "export function pick(request, backends) {\n  return 'a' +;\n}\n");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
            while (System.nanoTime() < until) {
                assertEquals("b", backendOf(get(lb, "/after-bad")));
            }
            assertNotEquals(0, b.requests());
        }
    }

    @Test
    void aThrowingScriptFallsBackForEveryRequestAndThePoolsMetricsCountIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.js");
        write(dir, file, "export function pick(request, backends) {\n  throw new Error('no');\n}\n");
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                ScriptedLb lb = new ScriptedLb(Protocol.HTTP, file, Map.of(), a, b)) {
            for (int i = 0; i < 6; i++) {
                get(lb, "/"); // asserts 200: the fallback placed it
            }
            assertEquals(3, a.requests(), "the round-robin fallback spreads evenly");
            assertEquals(3, b.requests());
            var figures = lb.lb.metrics().registry().getGauges();
            assertEquals(6L, ((Number) figures.get("lb.pool.app.algorithm.fallbacks").getValue()).longValue());
            assertEquals(6L, ((Number) figures.get("lb.pool.app.algorithm.fallbacks_threw").getValue()).longValue());
            assertEquals(0L, ((Number) figures.get("lb.pool.app.algorithm.scripted_picks").getValue()).longValue());
        }
    }

    private static void write(Path dir, Path file, String text) throws Exception {
        Path temp = dir.resolve(".policy.tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

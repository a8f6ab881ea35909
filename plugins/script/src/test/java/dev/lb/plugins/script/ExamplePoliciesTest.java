package dev.lb.plugins.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Backend;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.testkit.TestBackend;
import dev.lb.spi.testkit.TestPickContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policies shipped in {@code scripts/}, driven directly through the picker interface. */
class ExamplePoliciesTest {

    private static ScriptAlgorithm example(String name, Map<String, Object> config) {
        return Scripts.algorithm(Scripts.EXAMPLES.resolve(name), "config", config, "time-budget", "1s",
                "watch", "false");
    }

    @Test
    void canarySendsTheHeaderAndAboutTheShareToTheCanary() {
        List<Backend> backends = Scripts.backends("stable-1", "canary", "stable-2");
        try (ScriptAlgorithm algorithm = example("canary.js", Map.of("canary", "canary", "percent", "5"))) {
            Picker picker = Scripts.picker(algorithm, backends);
            for (int i = 0; i < 20; i++) {
                assertSame(backends.get(1), picker.pick(Scripts.http("/", Map.of("X-Canary", "1"), Map.of())));
            }
            Map<String, Integer> counts = new HashMap<>();
            int total = 2000;
            for (int i = 0; i < total; i++) {
                counts.merge(picker.pick(Scripts.get("/")).name(), 1, Integer::sum);
            }
            int canary = counts.getOrDefault("canary", 0);
            // 5% of 2000 is 100; the bounds are many standard deviations (about 10) wide.
            assertTrue(canary > 40 && canary < 180, "canary share " + canary + " of " + total);
            int diff = Math.abs(counts.get("stable-1") - counts.get("stable-2"));
            assertTrue(diff <= 1, "the stable ones take turns: " + counts);
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }

    @Test
    void canaryRefusesAConfigWithoutACanary() {
        PluginConfigException e = assertThrows(PluginConfigException.class, () -> example("canary.js", Map.of()));
        assertTrue(e.getMessage().contains("canary.js:") && e.getMessage().contains("config.canary"), e.getMessage());
    }

    @Test
    void stickyKeepsASessionOnOneBackendAndMovesOnlyThoseOfALeavingBackend() {
        List<Backend> backends = Scripts.backends("a", "b", "c");
        try (ScriptAlgorithm algorithm = example("sticky.js", Map.of("cookie", "SESSION"))) {
            Picker all = Scripts.picker(algorithm, backends);
            Map<String, Backend> placed = new HashMap<>();
            Set<String> used = new HashSet<>();
            for (int s = 0; s < 60; s++) {
                TestPickContext request = Scripts.http("/", Map.of(), Map.of("SESSION", "user-" + s));
                Backend first = all.pick(request);
                for (int again = 0; again < 5; again++) {
                    assertSame(first, all.pick(request), "session user-" + s + " stays");
                }
                placed.put("user-" + s, first);
                used.add(first.name());
            }
            assertEquals(3, used.size(), "sessions spread over every backend");

            // b leaves: the sessions of a and c stay where they were.
            List<Backend> withoutB = List.of(backends.get(0), backends.get(2));
            Picker fewer = algorithm.newPicker(PoolSnapshot.of("test", backends, withoutB));
            placed.forEach((session, before) -> {
                Backend now = fewer.pick(Scripts.http("/", Map.of(), Map.of("SESSION", session)));
                if (!before.name().equals("b")) {
                    assertSame(before, now, session + " keeps its backend");
                } else {
                    assertNotEquals("b", now.name());
                }
            });
            // Without the cookie: turns.
            Set<String> turns = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                turns.add(all.pick(Scripts.get("/")).name());
            }
            assertEquals(3, turns.size());
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }

    @Test
    void pathRoutesByLongestPrefix() {
        List<Backend> backends = Scripts.backends("web", "api", "api-v2", "static");
        Map<String, Object> routes = Map.of("/api/", "api", "/api/v2/", "api-v2", "/static/", "static");
        try (ScriptAlgorithm algorithm = example("path.js", Map.of("routes", routes))) {
            Picker picker = Scripts.picker(algorithm, backends);
            assertEquals("api", picker.pick(Scripts.get("/api/users")).name());
            assertEquals("api-v2", picker.pick(Scripts.get("/api/v2/users")).name());
            assertEquals("static", picker.pick(Scripts.get("/static/app.css")).name());
            Set<String> others = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                others.add(picker.pick(Scripts.get("/home")).name());
            }
            assertEquals(4, others.size(), "unrouted paths take turns over all");

            // A route whose backend is down falls to the others, through the script, not the fallback.
            Picker withoutApi = algorithm.newPicker(PoolSnapshot.of("test", backends,
                    List.of(backends.get(0), backends.get(2), backends.get(3))));
            assertNotEquals("api", withoutApi.pick(Scripts.get("/api/users")).name());
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }

    @Test
    void latencyPrefersTheFastBackend() {
        List<Backend> backends = Scripts.backends("slow", "fast");
        ((TestBackend) backends.get(0)).latencyMillis(90);
        ((TestBackend) backends.get(1)).latencyMillis(1);
        try (ScriptAlgorithm algorithm = example("latency.js", Map.of())) {
            Picker picker = Scripts.picker(algorithm, backends);
            int fast = 0;
            for (int i = 0; i < 1000; i++) {
                if (picker.pick(Scripts.get("/")).name().equals("fast")) {
                    fast++;
                }
            }
            // Expected share 90/91, about 989 of 1000.
            assertTrue(fast > 950, "fast got " + fast + " of 1000");

            // The figures are live: make the fast one slow and the share turns round on the same picker.
            ((TestBackend) backends.get(1)).latencyMillis(900);
            int stillFast = 0;
            for (int i = 0; i < 1000; i++) {
                if (picker.pick(Scripts.get("/")).name().equals("fast")) {
                    stillFast++;
                }
            }
            assertTrue(stillFast < 300, "now slower, it got " + stillFast + " of 1000");
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }

    @Test
    void clientPinsAndHashesByAddress() {
        List<Backend> backends = Scripts.backends("a", "b", "c");
        try (ScriptAlgorithm algorithm = example("client.js", Map.of("pins", Map.of("127.0.0.7", "c")))) {
            Picker picker = Scripts.picker(algorithm, backends);
            assertEquals("c", picker.pick(Scripts.tcp("127.0.0.7")).name());
            Backend first = picker.pick(Scripts.tcp("127.0.0.8"));
            for (int i = 0; i < 5; i++) {
                assertSame(first, picker.pick(Scripts.tcp("127.0.0.8")));
            }
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }
}

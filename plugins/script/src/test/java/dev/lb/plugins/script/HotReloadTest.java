package dev.lb.plugins.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file is watched: a good new version is swapped in under traffic, a bad one is refused. */
class HotReloadTest {

    private static final String PICK_A = "export function pick(request, backends) { return 'a'; }\n";
    private static final String PICK_B = "export function pick(request, backends) { return 'b'; }\n";

    @TempDir
    Path dir;

    @Test
    void reloadUnderTrafficChangesBehaviourWithoutAFailedPickAndABadVersionIsRefused() throws Exception {
        List<Backend> backends = Scripts.backends("a", "b", "c");
        Path file = Scripts.write(dir, "policy.js", PICK_A);
        try (LogCapture log = new LogCapture(ScriptAlgorithm.class);
                ScriptAlgorithm algorithm = Scripts.algorithm(file, "time-budget", "1s")) {
            Picker picker = Scripts.picker(algorithm, backends);
            assertSame(backends.get(0), picker.pick(Scripts.get("/")));

            // Traffic from three threads (three contexts) while the file changes under them.
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong nulls = new AtomicLong();
            AtomicLong picks = new AtomicLong();
            ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (running.get() && System.nanoTime() < deadline) {
                        Backend chosen = picker.pick(Scripts.get("/"));
                        if (chosen == null) {
                            nulls.incrementAndGet();
                        } else {
                            seen.put(chosen.name(), true);
                        }
                        picks.incrementAndGet();
                    }
                }));
            }
            Scripts.awaitTrue(() -> picks.get() > 100, "traffic flowing");
            Scripts.write(dir, "policy.js", PICK_B);
            Scripts.awaitTrue(() -> algorithm.version() == 2, "version 2 swapped in");
            long picksAtSwap = picks.get();
            Scripts.awaitTrue(() -> picks.get() > picksAtSwap + 300, "traffic after the swap");
            assertSame(backends.get(1), picker.pick(Scripts.get("/")));

            // A broken version is refused and logged where it is broken; version 2 keeps serving.
            Scripts.write(dir, "policy.js", "export function pick(request, backends) {\n  return 'a' +;\n}\n");
            Scripts.awaitTrue(() -> algorithm.stats().refusedReloads() == 1, "the bad version refused");
            long picksAtRefusal = picks.get();
            Scripts.awaitTrue(() -> picks.get() > picksAtRefusal + 300, "traffic after the refusal");
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }

            assertEquals(2, algorithm.version());
            assertSame(backends.get(1), picker.pick(Scripts.get("/")));
            assertEquals(0, nulls.get(), "no pick failed");
            assertEquals(0, algorithm.stats().totalFailures(), "no pick fell back");
            assertEquals(1, algorithm.stats().reloads());
            assertEquals(Boolean.TRUE, seen.get("a"));
            assertEquals(Boolean.TRUE, seen.get("b"));
            assertEquals(null, seen.get("c"));
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("new version is refused")
                    && m.contains("policy.js:2:") && m.contains("version 2 keeps serving")), log.messages().toString());

            // Fixing the file is taken again.
            Scripts.write(dir, "policy.js", PICK_A);
            Scripts.awaitTrue(() -> algorithm.version() == 3, "version 3 swapped in");
            assertNotNull(picker.pick(Scripts.get("/")));
            assertSame(backends.get(0), picker.pick(Scripts.get("/")));
        }
    }

    @Test
    void reloadCanBeAskedDirectlyAndIgnoresAnUnchangedFile() throws Exception {
        Path file = Scripts.write(dir, "policy.js", PICK_A);
        try (ScriptAlgorithm algorithm = Scripts.algorithm(file, "watch", "false")) {
            assertEquals(false, algorithm.reload());
            Scripts.write(dir, "policy.js", PICK_B);
            assertEquals(true, algorithm.reload());
            assertEquals(2, algorithm.version());
        }
    }

    @Test
    void aReloadBuildsEachThreadsNewContextOffThatThread() throws Exception {
        List<Backend> backends = Scripts.backends("a", "b", "c");
        Path file = Scripts.write(dir, "policy.js", PICK_A);
        try (ScriptAlgorithm algorithm = Scripts.algorithm(file, "watch", "false", "time-budget", "1s")) {
            Picker picker = Scripts.picker(algorithm, backends);
            assertSame(backends.get(0), picker.pick(Scripts.get("/")));
            Thread other = Thread.ofPlatform().start(() -> picker.pick(Scripts.get("/")));
            other.join(TimeUnit.SECONDS.toMillis(30));

            Scripts.write(dir, "policy.js", PICK_B);
            assertEquals(true, algorithm.reload());
            // Built for this thread by reload() (a thread that has ended gets none); swapped in at the next pick.
            assertEquals(1, algorithm.replacementsWaiting());
            assertSame(backends.get(1), picker.pick(Scripts.get("/")));
            assertEquals(0, algorithm.replacementsWaiting());
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }

}

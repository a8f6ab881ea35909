package dev.lb.plugins.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a policy keeps across picks is bounded by {@code recycle-after}: a leaking policy has its context rebuilt
 * afresh, without a failed pick, and never holds more than the limit allows; a frugal one is left alone.
 */
class RecycleTest extends AlgorithmFixture {

    /**
     * Keeps {@code kept} bytes more at each pick, in module state, and tells how much it holds through the backend it
     * picks: backend {@code n} when it holds n arrays (init, run again in each fresh context, checks it starts empty).
     */
    private static String leaking(int kept) {
        return "const held = [];\n"
                + "export function init() { if (held.length !== 0) throw new Error('not a fresh module'); }\n"
                + "export function pick(request, backends) {\n"
                + "  held.push(new Uint8Array(" + kept + "));\n"
                + "  return backends[Math.min(held.length, backends.length - 1)];\n"
                + "}\n";
    }

    private final List<Backend> backends = Scripts.backends(
            IntStream.range(0, 600).mapToObj(i -> "b" + i).toArray(String[]::new));

    @Test
    void aLeakingPolicyIsRecycledAndNeverHoldsMoreThanTheLimit() throws Exception {
        int kept = 8192;
        long recycleAfter = 4 * ByteSize.MIB;
        algorithm = Scripts.algorithm(Scripts.write(dir, "leak.js", leaking(kept)), "recycle-after", "4MiB",
                "allocation-limit", "4MiB", "time-budget", "1s", "watch", "false");
        Picker picker = Scripts.picker(algorithm, backends);
        // What picks allocate is at least what they keep, so a context is rebuilt before it holds recycle-after,
        // give or take the one pick that crosses the line.
        long mostHeld = recycleAfter / kept + 1;
        int picks = 6000;
        int largest = 0;
        for (int i = 0; i < picks; i++) {
            Backend chosen = picker.pick(Scripts.get("/"));
            assertNotNull(chosen, "pick " + i);
            int held = backends.indexOf(chosen);
            assertTrue(held >= 1 && held <= mostHeld, "pick " + i + ": the policy held " + held + " arrays of "
                    + kept + " bytes, more than recycle-after 4MiB allows (" + mostHeld + ")");
            largest = Math.max(largest, held);
        }
        assertEquals(picks, algorithm.stats().scriptedPicks(), "every pick made by the script");
        assertEquals(0, algorithm.stats().totalFailures());
        // 6000 picks keep 48MiB: a recycle at most every 513 picks, and not more often than every 100 (which would
        // mean picks that keep 8KiB allocate 40KiB).
        long recycles = algorithm.stats().recycles();
        assertTrue(recycles >= picks / mostHeld - 1 && recycles <= picks / 100, "recycles: " + recycles);
        assertTrue(largest > mostHeld / 2, "the leak grew between recycles, to " + largest);
        assertEquals(recycles, algorithm.figures().get("recycles").getAsLong());
        long logged = log.messages().stream().filter(m -> m.contains("script policy ")
                && m.contains("recycled the context of thread " + Thread.currentThread().getName())
                && m.contains("(recycle-after 4MiB); its module state starts afresh")).count();
        assertEquals(recycles, logged, "one message per recycle: " + log.messages());
    }

    @Test
    void theReplacementIsBuiltOffThePickingThreadAndSwappedInAtTheLimit() throws Exception {
        int kept = 64 * 1024;
        algorithm = Scripts.algorithm(Scripts.write(dir, "leak.js", leaking(kept)), "recycle-after", "4MiB",
                "allocation-limit", "4MiB", "time-budget", "1s", "watch", "false");
        Picker picker = Scripts.picker(algorithm, backends);
        // Past half of recycle-after (32 arrays of 64KiB): the rebuild thread has been asked for a fresh context.
        int held = 0;
        while (held < 40) {
            held = backends.indexOf(picker.pick(Scripts.get("/")));
        }
        Scripts.awaitTrue(() -> algorithm.replacementsWaiting() == 1, "a replacement built by the rebuild thread");
        assertEquals(0, algorithm.stats().recycles());
        // At recycle-after it is swapped in: the pick after the one that reached it finds a fresh module.
        int previous = held;
        while (held >= previous) {
            previous = held;
            held = backends.indexOf(picker.pick(Scripts.get("/")));
            assertTrue(held <= 4 * ByteSize.MIB / kept + 1, "held " + held);
        }
        assertEquals(1, held, "the fresh context starts with nothing held");
        assertEquals(1, algorithm.stats().recycles());
        assertEquals(0, algorithm.replacementsWaiting(), "the replacement was used");
        assertEquals(0, algorithm.stats().totalFailures());
    }

    @Test
    void aFrugalPolicyIsNotRecycled() throws Exception {
        algorithm = Scripts.algorithm(Scripts.write(dir, "rr.js",
                "let turn = 0;\nexport function pick(request, backends) { return turn++ % backends.length; }\n"),
                "watch", "false", "time-budget", "1s");
        Picker picker = Scripts.picker(algorithm, backends);
        for (int i = 0; i < 20_000; i++) {
            assertEquals(backends.get(i % backends.size()), picker.pick(Scripts.get("/")), "pick " + i);
        }
        assertEquals(0, algorithm.stats().recycles());
        assertEquals(0, algorithm.replacementsWaiting(), "not even a replacement asked for");
        assertEquals(0, algorithm.stats().totalFailures());
    }

}

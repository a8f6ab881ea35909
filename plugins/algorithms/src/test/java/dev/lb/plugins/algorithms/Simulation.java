package dev.lb.plugins.algorithms;

import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.testkit.TestBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A closed-loop load model for the load-aware algorithms: each pick opens a connection (and a request) on the chosen
 * backend; once {@code concurrency} are open, each further pick is preceded by the completion of one open connection,
 * chosen at random with probability proportional to its backend's latency share (slower backends hold work longer).
 */
final class Simulation {

    record Result(Map<String, Integer> picks, int total) {
    }

    private Simulation() {
    }

    static Result closedLoop(Picker picker, List<TestBackend> backends, int concurrency, int picks) {
        return closedLoop(picker, backends, concurrency, picks, Picks.TCP);
    }

    /** As above, every pick with {@code context} (e.g. one at a set time). */
    static Result closedLoop(Picker picker, List<TestBackend> backends, int concurrency, int picks,
            PickContext context) {
        Random random = new Random(42);
        List<TestBackend> open = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < picks; i++) {
            if (open.size() >= concurrency) {
                // Completion: faster backends finish sooner; draw by inverse latency among open connections.
                int victim = drawCompletion(open, random);
                TestBackend done = open.remove(victim);
                done.requestFinished();
            }
            TestBackend chosen = (TestBackend) picker.pick(context);
            chosen.requestStarted();
            open.add(chosen);
            counts.merge(chosen.name(), 1, Integer::sum);
        }
        for (TestBackend b : open) {
            b.requestFinished();
        }
        return new Result(counts, picks);
    }

    private static int drawCompletion(List<TestBackend> open, Random random) {
        double total = 0;
        for (TestBackend b : open) {
            total += rate(b);
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < open.size(); i++) {
            r -= rate(open.get(i));
            if (r <= 0) {
                return i;
            }
        }
        return open.size() - 1;
    }

    private static double rate(TestBackend backend) {
        long latency = backend.latencyEwmaNanos();
        return latency <= 0 ? 1.0 : 1e6 / latency;
    }
}

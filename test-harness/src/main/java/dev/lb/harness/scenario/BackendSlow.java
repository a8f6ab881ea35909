package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.toxiproxy.Direction;
import dev.lb.harness.toxiproxy.Fault;
import dev.lb.spi.EventType;
import java.time.Duration;
import java.util.List;

/**
 * A backend turns slow: every answer is delayed (Toxiproxy {@code latency} with jitter), less than the probe's
 * timeout.
 *
 * <p>Expected: slow is not down: no client error, no {@code backend-down} notification; the result notes how much
 * slower the slow backend's requests were than the others' (a latency-aware algorithm sends it less).
 */
public final class BackendSlow extends OneBackendFault {

    private static final Duration LATENCY = Duration.ofMillis(200);

    /** The scenario; it holds no state between runs. */
    public BackendSlow() {
        super("backend-slow",
                "a backend answers late (latency with jitter); no client may fail and it must not be marked down");
    }

    @Override
    void strike(ScenarioRun run, ScenarioTarget target, TestBackend victim) throws InterruptedException {
        // Below half the probe's timeout, so that a probe that reads answers does not count the slowness as a failure.
        Duration latency = target.health().map(h -> h.timeout().dividedBy(2)).filter(d -> d.compareTo(LATENCY) < 0)
                .orElse(LATENCY);
        Duration jitter = latency.dividedBy(4);
        run.fault("backend " + victim.name() + ": answers " + ScenarioRun.format(latency) + " late, give or take "
                + ScenarioRun.format(jitter));
        long start = System.nanoTime();
        try {
            Fault slow = victim.link().latency(Direction.DOWNSTREAM, latency, jitter);
            run.send(6 * target.backends().size());
            slow.remove();
        } finally {
            victim.link().heal();
        }
        List<Exchange> during = run.since(start);
        run.expectNoErrors(during, "while backend " + victim.name() + " was slow", "a slow backend is not a down one");
        run.expectNoEvent(EventType.BACKEND_DOWN, victim.name());
        double slowMs = meanMillis(during.stream().filter(e -> victim.name().equals(e.backend())).toList());
        double othersMs = meanMillis(during.stream().filter(e -> e.ok() && !victim.name().equals(e.backend()))
                .toList());
        run.note(String.format(java.util.Locale.ROOT, "mean request time: %.0fms via backend %s, %.0fms via the others;"
                + " %d of %d requests went to it", slowMs, victim.name(), othersMs,
                during.stream().filter(e -> victim.name().equals(e.backend())).count(), during.size()));
    }

    private static double meanMillis(List<Exchange> exchanges) {
        return exchanges.stream().mapToLong(e -> e.endNanos() - e.startNanos()).average().orElse(0) / 1e6;
    }
}

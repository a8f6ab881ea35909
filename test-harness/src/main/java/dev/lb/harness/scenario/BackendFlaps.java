package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A backend flaps: its link goes down and up several times, each phase about as long as the health check takes to
 * notice, so some flaps are seen and some are not.
 *
 * <p>Expected: no client error when connects are retried; after the last flap the backend serves again; every
 * {@code backend-down} notification is followed by a {@code backend-up} (none left dangling).
 */
public final class BackendFlaps implements Scenario {

    private static final int CYCLES = 3;

    @Override
    public String name() {
        return "backend-flaps";
    }

    @Override
    public String description() {
        return "a backend goes down and up " + CYCLES + " times; clients must not notice when connects are retried, and"
                + " it ends up in rotation";
    }

    @Override
    public ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        if (!run.warmup()) {
            return run.result();
        }
        TestBackend victim = run.victim();
        Duration phase = target.health().map(h -> h.interval().multipliedBy(h.fall()))
                .map(d -> d.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : d)
                .map(d -> d.compareTo(Duration.ofMillis(1500)) > 0 ? Duration.ofMillis(1500) : d)
                .orElse(Duration.ofMillis(500));
        run.fault("backend " + victim.name() + ": link down and up " + CYCLES + " times, "
                + ScenarioRun.format(phase) + " each way");
        long start = System.nanoTime();
        long lastUp;
        try {
            for (int i = 0; i < CYCLES; i++) {
                victim.link().down();
                run.sendUntil(() -> false, phase);
                victim.link().up();
                run.sendUntil(() -> false, phase);
            }
            lastUp = System.nanoTime() - phase.toNanos();
        } finally {
            victim.link().heal();
        }
        if (target.retriesConnects() || target.serving().size() < 2) {
            run.expectNoErrors(run.since(start), "while backend " + victim.name() + " flapped",
                    target.retriesConnects() ? "the listener should have tried another backend" : run.whyNoFailover());
        } else if (run.since(start).stream().anyMatch(e -> !e.ok())) {
            run.note("requests failed while the backend flapped: " + run.whyNoFailover());
        }
        if (!run.awaitServedBy(victim, lastUp)) {
            return run.result();
        }
        // Every down must be matched by an up once the backend is back (an up may still be on its way).
        run.sendUntil(() -> balanced(run.events(), victim.name()), target.recoverBudget());
        List<HealthEvent> events = run.events();
        long downs = count(events, EventType.BACKEND_DOWN, victim.name());
        long ups = count(events, EventType.BACKEND_UP, victim.name());
        if (downs != ups) {
            run.fail(downs + " backend-down but " + ups + " backend-up notifications for backend " + victim.name()
                    + " after the flapping ended");
        }
        run.note(downs + " of " + CYCLES + " flaps were seen by the health check");
        run.expectNoErrors(run.send(2 * target.backends().size()), "after the flapping", "");
        return run.result();
    }

    private static boolean balanced(List<HealthEvent> events, String backend) {
        return count(events, EventType.BACKEND_DOWN, backend) == count(events, EventType.BACKEND_UP, backend);
    }

    private static long count(List<HealthEvent> events, EventType type, String backend) {
        return events.stream().filter(e -> e.type() == type && Objects.equals(e.backend(), backend)).count();
    }
}

package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.spi.EventType;
import java.util.List;

/**
 * A backend goes down hard: its link refuses connections (a crashed process, a closed port).
 *
 * <p>Expected: no client error when the listener retries connects on another backend (two backends or more and
 * {@code connect-attempts} of 2 or more), otherwise none once the backend is out of rotation; the backend out of
 * rotation within the health check's budget, with a {@code backend-down} notification; after the repair it serves
 * again, with {@code backend-up}.
 */
public final class BackendDownHard implements Scenario {

    @Override
    public String name() {
        return "backend-down-hard";
    }

    @Override
    public String description() {
        return "a backend refuses connections; clients must not notice when connects are retried, it leaves rotation"
                + " and comes back after the repair";
    }

    @Override
    public ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        if (!run.warmup()) {
            return run.result();
        }
        TestBackend victim = run.victim();
        run.fault("backend " + victim.name() + ": link down (connection refused)");
        try {
            HardOutage.run(run, List.of(victim), () -> victim.link().down(), () -> victim.link().up());
        } finally {
            victim.link().heal();
        }
        return run.result();
    }

    /** The shape shared by faults that make a backend refuse: inject, fail over, repair, recover. */
    static final class HardOutage {

        private HardOutage() {
        }

        static void run(ScenarioRun run, List<TestBackend> victims, Runnable inject, Runnable repair)
                throws InterruptedException {
            ScenarioTarget target = run.target;
            int n = 2 * target.backends().size();
            long fault = System.nanoTime();
            inject.run();
            long out = run.awaitOutOfRotation(victims, fault);
            boolean detected = out >= 0;
            if (detected) {
                if (target.health().isPresent()) {
                    for (TestBackend victim : victims) {
                        run.expectEvent(EventType.BACKEND_DOWN, victim.name(), fault, target.detectBudget());
                    }
                }
                run.send(n);
            } else {
                String why = run.whyNoDetection();
                run.fail(names(victims) + " not taken out of rotation within "
                        + ScenarioRun.format(target.detectBudget()) + (why.isEmpty() ? "" : ": " + why));
            }
            long heal = System.nanoTime();
            if (target.retriesConnects() || target.serving().size() < 2) {
                run.expectNoErrors(run.between(fault, heal), "while " + names(victims) + " refused connections",
                        target.retriesConnects() ? "the listener should have tried another backend"
                                : run.whyNoFailover());
            } else if (detected) {
                run.expectNoErrors(run.between(out, heal), "after " + names(victims) + " left rotation", "");
                if (run.between(fault, out).stream().anyMatch(e -> !e.ok())) {
                    run.note("requests failed before the backend left rotation: " + run.whyNoFailover());
                }
            } else {
                run.expectNoErrors(run.between(fault, heal), "while " + names(victims) + " refused connections",
                        run.whyNoFailover());
            }
            repair.run();
            for (TestBackend victim : victims) {
                if (!run.awaitServedBy(victim, heal)) {
                    return;
                }
            }
            if (detected && target.health().isPresent()) {
                for (TestBackend victim : victims) {
                    run.expectEvent(EventType.BACKEND_UP, victim.name(), heal, target.recoverBudget());
                }
            }
            run.expectNoErrors(run.send(n), "after the repair", "");
        }

        static String names(List<TestBackend> victims) {
            return victims.size() == 1 ? "backend " + victims.getFirst().name()
                    : "backends " + String.join(", ", victims.stream().map(TestBackend::name).toList());
        }
    }
}

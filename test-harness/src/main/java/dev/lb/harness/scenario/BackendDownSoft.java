package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.toxiproxy.Direction;
import java.time.Duration;

/**
 * A backend goes down soft: it accepts connections but never answers (a hung process), a Toxiproxy {@code timeout}
 * fault with no end on its responses.
 *
 * <p>Expected: with a probe that checks answers, the backend leaves rotation within the health budget with
 * {@code backend-down} and no client error after that; with the connect-only {@code tcp} probe it cannot be seen
 * (noted in the result) and the clients sent to it wait out their timeout. After the repair it serves again, and no
 * request fails.
 */
public final class BackendDownSoft implements Scenario {

    @Override
    public String name() {
        return "backend-down-soft";
    }

    @Override
    public String description() {
        return "a backend accepts connections but never answers; a probe that checks answers takes it out";
    }

    @Override
    public ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        if (!run.warmup()) {
            return run.result();
        }
        TestBackend victim = run.victim();
        run.fault("backend " + victim.name() + ": answers never arrive (timeout)");
        try {
            AnswerFault.run(run, victim, b -> b.link().timeout(Direction.DOWNSTREAM, Duration.ZERO), false);
        } finally {
            victim.link().heal();
        }
        return run.result();
    }
}

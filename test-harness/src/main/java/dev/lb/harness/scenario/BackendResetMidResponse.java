package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.toxiproxy.Direction;
import java.time.Duration;

/**
 * A backend resets its connections as soon as it starts answering ("connection reset by peer" mid-response), a
 * Toxiproxy {@code reset_peer} fault on its responses.
 *
 * <p>Expected as for {@link BackendDownSoft}: a probe that checks answers takes it out; the connect-only {@code tcp}
 * probe cannot see it (noted). After the repair it serves again with no failed request.
 */
public final class BackendResetMidResponse implements Scenario {

    @Override
    public String name() {
        return "backend-reset";
    }

    @Override
    public String description() {
        return "a backend resets connections mid-response; a probe that checks answers takes it out";
    }

    @Override
    public ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        if (!run.warmup()) {
            return run.result();
        }
        TestBackend victim = run.victim();
        run.fault("backend " + victim.name() + ": connections reset when the answer starts (reset_peer)");
        try {
            AnswerFault.run(run, victim, b -> b.link().resetPeer(Direction.DOWNSTREAM, Duration.ZERO), true);
        } finally {
            victim.link().heal();
        }
        return run.result();
    }
}

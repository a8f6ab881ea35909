package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.toxiproxy.Fault;
import dev.lb.spi.EventType;
import dev.lb.spi.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The shape shared by faults where a backend still accepts connections but does not answer properly (it hangs, or
 * resets): only a probe that looks at answers can see them, so whether the backend must leave rotation depends on
 * the pool's probe.
 */
final class AnswerFault {

    /** How long the client waits for a hung backend's answer before counting an error. */
    static final Duration HUNG_CLIENT_TIMEOUT = Duration.ofSeconds(1);

    private AnswerFault() {
    }

    static void run(ScenarioRun run, TestBackend victim, Function<TestBackend, Fault> inject)
            throws InterruptedException {
        ScenarioTarget target = run.target;
        int n = 2 * target.backends().size();
        if (target.protocol() == Protocol.TCP) {
            // Over TCP nothing but the client's patience ends a hung exchange.
            run.client(TrafficClient.of(Protocol.TCP, HUNG_CLIENT_TIMEOUT));
        }
        long fault = System.nanoTime();
        Fault injected = inject.apply(victim);
        boolean detectable = target.probeSeesAnswers();
        long out;
        if (detectable) {
            out = run.awaitOutOfRotation(List.of(victim), fault);
            if (out < 0) {
                run.fail("backend " + victim.name() + " not taken out of rotation within "
                        + ScenarioRun.format(target.detectBudget()));
            }
            run.send(3 * n);
        } else {
            // Not expected to be seen, but it may be (a reset can fail a connect probe too): measure it if so.
            run.send(3 * n);
            out = victim.inRotation() ? -1 : run.awaitOutOfRotation(List.of(victim), fault);
            if (out < 0) {
                run.note(target.health().isEmpty() ? run.whyNoDetection()
                        : "the " + target.health().get().probe().type() + " probe only checks that connections are"
                        + " accepted, so backend " + victim.name() + " stayed in rotation; a probe that checks"
                        + " answers would take it out");
            }
        }
        if (out >= 0) {
            run.expectEvent(EventType.BACKEND_DOWN, victim.name(), fault);
        }
        long heal = System.nanoTime();
        if (out >= 0) {
            run.expectNoErrors(run.between(out, heal), "after backend " + victim.name() + " left rotation", "");
        }
        long errors = run.between(fault, heal).stream().filter(e -> !e.ok()).count();
        if (errors > 0) {
            run.note(errors + " requests failed while backend " + victim.name() + " misbehaved ("
                    + ScenarioRun.errorKinds(run.between(fault, heal).stream().filter(e -> !e.ok()).toList()) + ")"
                    + (target.protocol() == Protocol.TCP ? ": a TCP balancer cannot replay a connection once the"
                    + " backend accepted it" : ""));
        }
        injected.remove();
        run.client(target.client());
        if (!run.awaitServedBy(victim, heal)) {
            return;
        }
        if (out >= 0) {
            run.expectEvent(EventType.BACKEND_UP, victim.name(), heal);
        }
        run.expectNoErrors(run.send(n), "after the repair", "");
    }
}

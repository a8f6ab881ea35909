package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.toxiproxy.Fault;
import dev.lb.spi.EventType;
import dev.lb.spi.Protocol;
import java.util.List;
import java.util.function.Function;

/**
 * The shape shared by faults where a backend still accepts connections but does not answer properly (it hangs, or
 * resets): only a probe that looks at answers can see them, so whether the backend must leave rotation depends on
 * the pool's probe. A subclass names the fault and says how to inject it.
 */
abstract class AnswerFault extends OneBackendFault {

    private final String what;
    private final Function<TestBackend, Fault> inject;
    private final boolean replayable;

    /**
     * @param what what happens to the victim, for the result: {@code backend <name>: <what>}
     * @param inject injects the fault into the victim
     * @param replayable whether the fault leaves a request the balancer may replay elsewhere (a reset before any
     *     answer) rather than one it must give up on (an answer that never comes: the backend may have acted on it)
     */
    AnswerFault(String name, String description, String what, Function<TestBackend, Fault> inject,
            boolean replayable) {
        super(name, description);
        this.what = what;
        this.inject = inject;
        this.replayable = replayable;
    }

    @Override
    final void strike(ScenarioRun run, ScenarioTarget target, TestBackend victim) throws InterruptedException {
        run.fault("backend " + victim.name() + ": " + what);
        try {
            measure(run, target, victim);
        } finally {
            victim.link().heal();
        }
    }

    /** Injects the fault, drives traffic through it and its repair, and records what the balancer did. */
    private void measure(ScenarioRun run, ScenarioTarget target, TestBackend victim) throws InterruptedException {
        int n = 2 * target.backends().size();
        run.client(TrafficClient.of(target.protocol(), target.hungClientTimeout(), target.listener().tls() != null));
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
        if (out >= 0 && detectable) {
            run.expectEvent(EventType.BACKEND_DOWN, victim.name(), fault, target.detectBudget());
        }
        long heal = System.nanoTime();
        if (out >= 0) {
            run.expectNoErrors(run.between(out, heal), "after backend " + victim.name() + " left rotation", "");
        }
        List<Exchange> failed = run.between(fault, heal).stream().filter(e -> !e.ok()).toList();
        if (replayable && target.retriesRequests()) {
            run.expectNoErrors(run.between(fault, heal), "while backend " + victim.name() + " reset connections",
                    "an idempotent request reset before any answer should have been retried on another backend");
        } else if (!failed.isEmpty()) {
            String why = replayable ? target.whyNoReplay()
                    : target.protocol() == Protocol.HTTP ? "a request whose answer never comes is not replayed (the"
                    + " backend may have acted on it): the client waits the response-timeout ("
                    + ScenarioRun.format(target.listener().http().responseTimeout()) + "), then gets 504"
                    : "a TCP balancer cannot replay a connection once the backend accepted it";
            run.note(failed.size() + " requests failed while backend " + victim.name() + " misbehaved ("
                    + ScenarioRun.errorKinds(failed) + "): " + why);
        }
        injected.remove();
        run.client(target.client());
        if (!run.awaitServedBy(victim, heal)) {
            return;
        }
        if (out >= 0 && run.events().stream().anyMatch(e -> e.type() == EventType.BACKEND_DOWN
                && victim.name().equals(e.backend()))) {
            run.expectEvent(EventType.BACKEND_UP, victim.name(), heal, target.recoverBudget());
        }
        run.expectNoErrors(run.send(n), "after the repair", "");
    }
}

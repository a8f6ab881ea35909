package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;

/**
 * A scenario that strikes one backend: the warm-up's busiest (see {@link ScenarioRun#victim()}), so that the fault
 * is sure to meet traffic. This class owns the shared skeleton (warm up, choose the victim, return the result);
 * a subclass only injects its fault, drives its traffic and states what it expects.
 */
abstract class OneBackendFault implements Scenario {

    private final String name;
    private final String description;

    OneBackendFault(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        if (run.warmup()) {
            strike(run, target, run.victim());
        }
        return run.result();
    }

    /**
     * Injects the fault into {@code victim}, drives bounded traffic and records what was expected in {@code run};
     * leaves every fault repaired when it returns.
     */
    abstract void strike(ScenarioRun run, ScenarioTarget target, TestBackend victim) throws InterruptedException;
}

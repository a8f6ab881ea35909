package dev.lb.harness.scenario;

import dev.lb.spi.Protocol;

/**
 * A fault and the load balancer's expected answer to it: a bounded run of real client traffic through a
 * {@link ScenarioTarget} while the fault is injected and repaired, measured into a {@link ScenarioResult}.
 *
 * <p>Every run is bounded in requests and in time (budgets follow from the pool's health settings, see
 * {@link ScenarioTarget#detectBudget()}), leaves every fault repaired when it returns, and never throws for a
 * misbehaving balancer: that is a failure in the result.
 */
public interface Scenario {

    /** A short stable name, e.g. {@code backend-down-hard}. */
    String name();

    /** One line: the fault and what is expected. */
    String description();

    /** Whether it means something for listeners of {@code protocol}. */
    default boolean supports(Protocol protocol) {
        return true;
    }

    /** Runs it; the target's faults are all repaired on return. */
    ScenarioResult run(ScenarioTarget target) throws InterruptedException;
}

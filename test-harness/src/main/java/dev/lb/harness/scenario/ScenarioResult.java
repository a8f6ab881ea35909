package dev.lb.harness.scenario;

import dev.lb.spi.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The measured outcome of one {@link Scenario} run and whether it met its expectations.
 *
 * @param scenario the scenario's name
 * @param listener the listener driven
 * @param protocol its protocol
 * @param fault what was done, e.g. {@code backend b: proxy down (connection refused)}
 * @param requests client requests sent
 * @param clientErrors of which failed, as the client saw it
 * @param failover from the fault to the bad backend(s) leaving rotation; null when they did not
 * @param recovery from the repair to the backend(s) serving again; null when they did not (or never left)
 * @param notifications the events notified during the run, e.g. {@code backend-down b}
 * @param failures each expectation not met, said plainly; empty when the scenario passed
 * @param notes what else was seen or why an expectation does not apply
 */
public record ScenarioResult(
        String scenario,
        String listener,
        Protocol protocol,
        String fault,
        int requests,
        int clientErrors,
        Duration failover,
        Duration recovery,
        List<String> notifications,
        List<String> failures,
        List<String> notes) {

    public ScenarioResult {
        notifications = List.copyOf(notifications);
        failures = List.copyOf(failures);
        notes = List.copyOf(notes);
    }

    /** Whether every expectation was met. */
    public boolean passed() {
        return failures.isEmpty();
    }

    public Optional<Duration> failoverTime() {
        return Optional.ofNullable(failover);
    }

    public Optional<Duration> recoveryTime() {
        return Optional.ofNullable(recovery);
    }
}

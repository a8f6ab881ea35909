package dev.lb.spi;

import java.util.concurrent.CompletionStage;

/**
 * An active health check, run by the runtime against each backend of a pool at the configured interval.
 *
 * <p>{@link #check(ProbeTarget)} must not block: it starts the check and returns a stage that completes with the
 * result. It is called from the runtime's health scheduler, possibly for many backends at once. A stage that
 * completes exceptionally, or not within {@link ProbeTarget#timeout()}, counts as a failed check whose reason is the
 * exception's message. A probe that can only be written with blocking calls implements {@link BlockingHealthProbe}
 * instead. Rise and fall thresholds, intervals and jitter are the runtime's concern, not the probe's.
 */
public interface HealthProbe extends AutoCloseable {

    /** Starts one check of {@code target}. */
    CompletionStage<ProbeResult> check(ProbeTarget target);

    /** Releases what the probe holds (clients, selectors); called once when its pool is removed or on stop. */
    @Override
    default void close() {
    }
}

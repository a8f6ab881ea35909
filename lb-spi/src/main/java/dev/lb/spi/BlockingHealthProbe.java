package dev.lb.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A health probe written with blocking calls. Each check runs on its own virtual thread, so a slow or stuck check
 * never holds up the runtime; it should still honour {@link ProbeTarget#timeout()}, as the thread is not interrupted
 * and only the result is abandoned.
 */
public interface BlockingHealthProbe extends HealthProbe {

    /**
     * Checks {@code target}, blocking as needed.
     *
     * @throws Exception when the check fails in a way best told by the exception; it counts as unhealthy
     */
    ProbeResult checkBlocking(ProbeTarget target) throws Exception;

    /** Runs {@link #checkBlocking(ProbeTarget)} on a new virtual thread. */
    @Override
    default CompletionStage<ProbeResult> check(ProbeTarget target) {
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        Thread.ofVirtual().name("probe-" + target.backend().name()).start(() -> {
            try {
                result.complete(checkBlocking(target));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}

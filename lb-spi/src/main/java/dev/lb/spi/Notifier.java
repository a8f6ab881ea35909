package dev.lb.spi;

/**
 * Delivers {@link HealthEvent}s somewhere: a log, a webhook, a chat.
 *
 * <p>The runtime gives each notifier its own bounded queue and its own thread, so {@link #deliver(HealthEvent)} may
 * block (on a network call, say) without slowing traffic or health checking; when the queue is full, new events for
 * that notifier are dropped and counted. Which events reach a notifier is chosen in configuration ({@code events:}).
 */
public interface Notifier extends AutoCloseable {

    /**
     * Delivers one event.
     *
     * @throws Exception when delivery failed; the runtime retries with exponential backoff up to the configured
     *     number of attempts, then drops the event and logs why
     */
    void deliver(HealthEvent event) throws Exception;

    /** Releases what the notifier holds; called once on removal or stop, after its queue is drained or dropped. */
    @Override
    default void close() {
    }
}

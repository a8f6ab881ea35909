package dev.lb.runtime.config;

import dev.lb.spi.EventType;
import java.time.Duration;
import java.util.Set;

/**
 * A notifier and the runtime's settings for feeding it.
 *
 * @param plugin the notifier plugin
 * @param events which events it receives (default: all)
 * @param queueSize events held while it is busy; further ones are dropped and counted (default 1000)
 * @param attempts delivery attempts per event, with exponential backoff between them (default 3)
 * @param backoff the wait before the first retry, doubling after each (at most 30s); null for the server's default
 *     (200ms)
 */
public record NotifierConfig(PluginSpec plugin, Set<EventType> events, int queueSize, int attempts, Duration backoff) {

    public NotifierConfig {
        events = Set.copyOf(events);
    }

    /** A notifier with the server's default backoff. */
    public NotifierConfig(PluginSpec plugin, Set<EventType> events, int queueSize, int attempts) {
        this(plugin, events, queueSize, attempts, null);
    }
}

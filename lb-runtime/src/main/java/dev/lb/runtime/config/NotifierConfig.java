package dev.lb.runtime.config;

import dev.lb.spi.EventType;
import java.util.Set;

/**
 * A notifier and the runtime's settings for feeding it.
 *
 * @param plugin the notifier plugin
 * @param events which events it receives (default: all)
 * @param queueSize events held while it is busy; further ones are dropped and counted (default 1000)
 * @param attempts delivery attempts per event, with exponential backoff between them (default 3)
 */
public record NotifierConfig(PluginSpec plugin, Set<EventType> events, int queueSize, int attempts) {

    public NotifierConfig {
        events = Set.copyOf(events);
    }
}

package dev.lb.runtime.notify;

import dev.lb.spi.HealthEvent;

/** Where health events go once they happen. Implementations must not block the caller. */
@FunctionalInterface
public interface HealthEventSink {

    /** A sink that discards everything, for pools nobody listens to. */
    HealthEventSink NONE = event -> { };

    /** Accepts {@code event}; returns at once. */
    void publish(HealthEvent event);
}

package dev.lb.plugins.notifiers;

import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code log} notifier: one line per event, via {@link HealthEvent#describe()}. */
final class LogNotifier implements Notifier {

    private final Logger logger;

    LogNotifier(String loggerName) {
        this.logger = LoggerFactory.getLogger(loggerName);
    }

    @Override
    public void deliver(HealthEvent event) {
        if (needsAttention(event.type())) {
            logger.warn("{}", event.describe());
        } else {
            logger.info("{}", event.describe());
        }
    }

    /** Losing capacity is what an operator must look at; recoveries and drains are for the record. */
    private static boolean needsAttention(EventType type) {
        return type == EventType.BACKEND_DOWN || type == EventType.POOL_EMPTY;
    }
}

package dev.lb.plugins.notifiers;

import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfig;

/**
 * {@code log}: writes each event as one line to an slf4j logger, at WARN for {@code backend-down} and
 * {@code pool-empty} and at INFO for the others.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code logger} (default {@code lb.events}): the logger's name, to route events to their own appender.</li>
 * </ul>
 */
public final class LogNotifierProvider implements NotifierProvider {

    /** The logger events go to unless configured otherwise. */
    public static final String DEFAULT_LOGGER = "lb.events";

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String description() {
        return "writes each event as one line to the log (logger " + DEFAULT_LOGGER + ", setting logger)";
    }

    @Override
    public Notifier create(PluginConfig config) {
        String logger = config.string("logger", DEFAULT_LOGGER).strip();
        if (logger.isEmpty()) {
            throw config.invalid("logger", "must be a logger name such as " + DEFAULT_LOGGER + ", was empty");
        }
        return new LogNotifier(logger);
    }
}

package dev.lb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The command line's logging, set up in code rather than from a {@code logback.xml}: parsing XML costs about a
 * tenth of a second at every start. Lines go to standard error as time, level, logger and message, which is how
 * operators read them on a terminal or in journald. The root level comes from {@code LB_LOG_LEVEL} (INFO when
 * unset); Netty's own chatter is held to WARN. An operator who wants more (files, JSON, other levels) points
 * {@code -Dlogback.configurationFile} at a logback file, and this configurator then steps aside.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %-24logger{0} %msg%n";
    static final String LEVEL_VARIABLE = "LB_LOG_LEVEL";

    /** Required by {@link java.util.ServiceLoader}, which is how logback finds this class. */
    public ConsoleLogging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();

        String configured = System.getenv(LEVEL_VARIABLE);
        Level level = rootLevel(configured);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level == null ? Level.INFO : level);
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        if (level == null && configured != null && !configured.isBlank()) {
            root.warn("{}={} is not a log level (use TRACE, DEBUG, INFO, WARN, ERROR or OFF); logging at INFO",
                    LEVEL_VARIABLE, configured);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level named by {@code name} in any case, or null when it names none (or is unset). */
    static Level rootLevel(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN", "WARNING" -> Level.WARN;
            case "ERROR" -> Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> null;
        };
    }
}

package dev.lb.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets logger levels from the configuration's {@code logging.levels}. slf4j has no API for levels, so this speaks to
 * logback, the backend the distribution ships; with another slf4j backend the levels are left to its own
 * configuration and a warning says so.
 */
public final class LogLevels {

    private LogLevels() {
    }

    /**
     * Applies {@code levels} (logger name or {@code root} to trace, debug, info, warn, error or off).
     *
     * @return whether they could be applied (logback is the slf4j backend)
     */
    public static boolean apply(Map<String, String> levels) {
        if (levels.isEmpty()) {
            return true;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!isLogback(factory)) {
            LoggerFactory.getLogger(LogLevels.class).warn("logging.levels is ignored: the slf4j backend is {}, not"
                    + " logback; set levels in its own configuration", factory.getClass().getName());
            return false;
        }
        LoggerContext context = (LoggerContext) factory;
        levels.forEach((name, level) -> context.getLogger(name.equals("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME
                : name).setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO)));
        return true;
    }

    private static boolean isLogback(ILoggerFactory factory) {
        try {
            return factory instanceof LoggerContext;
        } catch (NoClassDefFoundError e) {
            return false; // logback is not on the class path at all
        }
    }
}

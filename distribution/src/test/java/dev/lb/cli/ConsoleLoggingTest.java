package dev.lb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {

    @Test
    void setsUpTheConsoleOnStandardErrorWithoutAnyFile() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> console = assertInstanceOf(ConsoleAppender.class, root.getAppender("console"));
        assertEquals("System.err", console.getTarget());
        assertEquals(ConsoleLogging.PATTERN, ((PatternLayoutEncoder) console.getEncoder()).getPattern());
        assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
        context.stop();
    }

    @Test
    void readsLevelsInAnyCaseAndRefusesOthers() {
        assertEquals(Level.DEBUG, ConsoleLogging.rootLevel("debug"));
        assertEquals(Level.WARN, ConsoleLogging.rootLevel(" Warn "));
        assertEquals(Level.OFF, ConsoleLogging.rootLevel("OFF"));
        assertNull(ConsoleLogging.rootLevel("loud"));
        assertNull(ConsoleLogging.rootLevel(null));
    }

    @Test
    void stepsAsideForAnOperatorsLogbackFile() {
        String before = System.setProperty("logback.configurationFile", "/etc/lb/logback.xml");
        try {
            LoggerContext context = new LoggerContext();
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);
            assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context));
            assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console"));
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }
}

package dev.lb.plugins.notifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.testkit.MapPluginConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogNotifierTest {

    private final LogNotifierProvider provider = new LogNotifierProvider();
    private Logger captured;
    private ListAppender<ILoggingEvent> appender;

    private ListAppender<ILoggingEvent> capture(String loggerName) {
        captured = (Logger) LoggerFactory.getLogger(loggerName);
        appender = new ListAppender<>();
        appender.start();
        captured.addAppender(appender);
        return appender;
    }

    @AfterEach
    void detach() {
        if (captured != null) {
            captured.detachAppender(appender);
        }
    }

    @Test
    void isRegisteredForServiceLoader() {
        assertTrue(ServiceLoader.load(NotifierProvider.class).stream()
                .anyMatch(p -> p.type() == LogNotifierProvider.class));
        assertEquals("log", provider.name());
    }

    @Test
    void logsEachEventAsOneLineToLbEventsWithWarnForLossOfCapacity() throws Exception {
        ListAppender<ILoggingEvent> events = capture("lb.events");
        try (Notifier notifier = provider.create(MapPluginConfig.of())) {
            for (EventType type : EventType.values()) {
                notifier.deliver(event(type));
            }
        }
        List<ILoggingEvent> lines = events.list;
        assertEquals(EventType.values().length, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            EventType type = EventType.values()[i];
            Level expected = type == EventType.BACKEND_DOWN || type == EventType.POOL_EMPTY ? Level.WARN : Level.INFO;
            assertEquals(expected, lines.get(i).getLevel(), type.configName());
            assertEquals(event(type).describe(), lines.get(i).getFormattedMessage());
            assertEquals("lb.events", lines.get(i).getLoggerName());
        }
        assertEquals("backend-down pool=app backend=a (127.0.0.1:8081): 3 probes failed: connection refused"
                + " after 5m 0s", lines.getFirst().getFormattedMessage());
    }

    @Test
    void loggerSettingChangesTheLogger() throws Exception {
        ListAppender<ILoggingEvent> events = capture("ops.alerts");
        try (Notifier notifier = provider.create(MapPluginConfig.of("logger", "ops.alerts"))) {
            notifier.deliver(event(EventType.POOL_EMPTY));
        }
        assertEquals(1, events.list.size());
        assertEquals(Level.WARN, events.list.getFirst().getLevel());
        assertEquals("ops.alerts", events.list.getFirst().getLoggerName());
    }

    @Test
    void blankLoggerIsAConfigurationError() {
        PluginConfigException error = assertThrows(PluginConfigException.class,
                () -> provider.create(MapPluginConfig.of("logger", " ")));
        assertEquals("logger", error.key());
    }

    private static HealthEvent event(EventType type) {
        boolean poolEvent = type == EventType.POOL_EMPTY || type == EventType.POOL_RECOVERED;
        return new HealthEvent(type, Instant.parse("2026-01-01T00:00:00Z"), "app",
                poolEvent ? null : "a",
                poolEvent ? null : new InetSocketAddress("127.0.0.1", 8081),
                "3 probes failed: connection refused", Duration.ofMinutes(5));
    }
}

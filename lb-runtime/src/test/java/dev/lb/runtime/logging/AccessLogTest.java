package dev.lb.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void fieldsAreFilledAndMissingOnesPrintADash() {
        AccessLog log = new AccessLog("${client} ${listener} ${pool}/${backend} ${status} ${duration_ms}ms");
        assertEquals("127.0.0.1:5000 web app/b1 - 12ms", log.line(Map.of("client", "127.0.0.1:5000", "listener",
                "web", "pool", "app", "backend", "b1", "duration_ms", 12L)));
    }

    @Test
    void theFormatCanBeReplaced() {
        AccessLog log = new AccessLog("${client}");
        log.format("[${listener}] literal $ { and } kept");
        assertEquals("[web] literal $ { and } kept", log.line(Map.of("listener", "web")));
    }
}

package dev.lb.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthEventTest {

    @Test
    void durationsReadAsAPersonWouldWriteThem() {
        assertEquals("25ms", HealthEvent.readable(Duration.ofNanos(25_490_792)));
        assertEquals("3.2s", HealthEvent.readable(Duration.ofMillis(3_251)));
        assertEquals("2m 5s", HealthEvent.readable(Duration.ofSeconds(125)));
        assertEquals("3h 12m", HealthEvent.readable(Duration.ofMinutes(192)));
        assertEquals("2d 4h", HealthEvent.readable(Duration.ofHours(52)));
    }

    @Test
    void aBackendEventSaysWhatWhereWhyAndForHowLong() {
        HealthEvent event = new HealthEvent(EventType.BACKEND_DOWN, Instant.EPOCH, "app", "a",
                InetSocketAddress.createUnresolved("127.0.0.1", 9001), "3 probes failed: connection refused",
                Duration.ofSeconds(125));
        assertEquals("backend-down pool=app backend=a (127.0.0.1:9001): 3 probes failed: connection refused"
                + " after 2m 5s", event.describe());
    }

    @Test
    void aPoolEventHasNoBackend() {
        HealthEvent event = new HealthEvent(EventType.POOL_EMPTY, Instant.EPOCH, "app", null, null,
                "no eligible backend", Duration.ofMillis(40));
        assertEquals("pool-empty pool=app: no eligible backend after 40ms", event.describe());
    }
}

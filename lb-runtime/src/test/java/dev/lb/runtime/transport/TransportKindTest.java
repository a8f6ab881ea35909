package dev.lb.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransportKindTest {

    @Test
    void namesParseInAnyCaseAndAutoMeansTheFirstAvailable() {
        assertSame(TransportKind.IO_URING, TransportKind.parse("io_uring"));
        assertSame(TransportKind.EPOLL, TransportKind.parse(" EPOLL "));
        assertSame(TransportKind.NIO, TransportKind.parse("Nio"));
        assertSame(TransportKind.automatic(), TransportKind.parse("auto"));
    }

    @Test
    void anUnknownNameSaysWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransportKind.parse("kqueue"));
        assertEquals("unknown transport 'kqueue': expected auto, io_uring, epoll, nio", e.getMessage());
    }

    @Test
    void thePropertyChoosesAndItsMistakesNameIt() {
        assertSame(TransportKind.automatic(), TransportKind.configured(null));
        assertSame(TransportKind.NIO, TransportKind.configured("nio"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportKind.configured("uring"));
        assertEquals("system property lb.transport: unknown transport 'uring': expected auto, io_uring, epoll, nio",
                e.getMessage());
    }

    @Test
    void automaticIsTheFirstAvailableOfIoUringEpollAndNio() {
        TransportKind automatic = TransportKind.automatic();
        assertSame(automatic, TransportKind.available().get(0));
        assertSame(automatic, automatic.requireAvailable());
        assertEquals(List.of(TransportKind.IO_URING, TransportKind.EPOLL, TransportKind.NIO),
                List.of(TransportKind.values()), "the order auto tries them in");
        assertTrue(TransportKind.available().contains(TransportKind.NIO));
    }

    @Test
    void anUnavailableKindIsRefusedWithTheReasonAndTheAlternative() {
        for (TransportKind kind : TransportKind.values()) {
            if (kind.isAvailable()) {
                assertSame(kind, kind.requireAvailable());
                continue;
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, kind::requireAvailable);
            assertTrue(e.getMessage().startsWith("the " + kind + " transport is not available on this machine"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("choose another, or auto for the default ("
                    + TransportKind.automatic() + " here)"), e.getMessage());
        }
    }
}

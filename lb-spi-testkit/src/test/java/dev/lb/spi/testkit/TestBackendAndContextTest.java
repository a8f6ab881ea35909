package dev.lb.spi.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestBackendAndContextTest {

    @Test
    void backendFiguresAreSettable() {
        TestBackend b = new TestBackend("b", 3).activeConnections(5).inFlightRequests(2).latencyMillis(20)
                .peakLatencyEwmaNanos(30_000_000L).eligibleSinceNanos(123);
        assertEquals("b", b.name());
        assertEquals(3, b.weight());
        assertEquals(5, b.activeConnections());
        assertEquals(2, b.inFlightRequests());
        assertEquals(20_000_000L, b.latencyEwmaNanos());
        assertEquals(30_000_000L, b.peakLatencyEwmaNanos());
        assertEquals(123, b.eligibleSinceNanos());
        b.requestStarted();
        assertEquals(6, b.activeConnections());
        assertEquals(3, b.inFlightRequests());
        b.requestFinished();
        assertEquals(5, b.activeConnections());
        TestBackend fresh = new TestBackend("a");
        assertTrue(fresh.eligibleSinceNanos() <= System.nanoTime() - Duration.ofMinutes(59).toNanos());
        assertEquals(8000, fresh.address().getPort());
        assertEquals(9001, TestBackend.onPort("c", 9001).address().getPort());
        TestBackend labelled = new TestBackend("d", 1, new InetSocketAddress("127.0.0.1", 1), Map.of("role", "x"));
        assertEquals(Map.of("role", "x"), labelled.labels());
        assertThrows(IllegalArgumentException.class, () -> new TestBackend("z", 0));
    }

    @Test
    void tcpContextsHaveNoRequest() {
        TestPickContext tcp = TestPickContext.tcp();
        assertEquals(Protocol.TCP, tcp.protocol());
        assertEquals(Optional.empty(), tcp.http());
        assertEquals(0, tcp.attempt());
        assertEquals(2, tcp.withAttempt(2).attempt());
        assertEquals("10.0.0.7", TestPickContext.builder().clientAddress("10.0.0.7").build().clientAddress()
                .getAddress().getHostAddress());
    }

    @Test
    void httpContextsCarryTheRequest() {
        TestPickContext ctx = TestPickContext.builder().method("POST").path("/api").query("a=1").host("h.test")
                .header("X-User", "u1").header("x-user", "u2").cookie("sid", "s1").build();
        assertEquals(Protocol.HTTP, ctx.protocol());
        HttpRequestInfo request = ctx.http().orElseThrow();
        assertEquals("POST", request.method());
        assertEquals("/api", request.path());
        assertEquals("a=1", request.query());
        assertEquals("h.test", request.host());
        assertEquals(Optional.of("u1"), request.header("x-USER"));
        assertEquals(List.of("u1", "u2"), request.headers("X-User"));
        assertEquals(Optional.of("s1"), request.cookie("sid"));
        assertEquals(Optional.of("sid=s1"), request.header("Cookie"));
        assertEquals(Optional.empty(), request.header("absent"));
        assertEquals("/", TestPickContext.builder().protocol(Protocol.HTTP).build().http().orElseThrow().path());
        assertThrows(IllegalStateException.class,
                () -> TestPickContext.builder().protocol(Protocol.TCP).path("/x").build());
    }

    @Test
    void thePicksTimeIsTheClockUnlessSetAndSurvivesTheOtherChanges() {
        TestPickContext live = TestPickContext.tcp();
        long before = System.nanoTime();
        long seen = live.nanoTime();
        assertTrue(seen - before >= 0 && System.nanoTime() - seen >= 0, "unset: the clock at the call");

        TestPickContext fixed = TestPickContext.builder().path("/a").nanoTime(42).build();
        assertEquals(42, fixed.nanoTime());
        assertEquals(42, fixed.withAttempt(2).nanoTime(), "a retry keeps the time");
        assertEquals(Long.MIN_VALUE + 7, fixed.atNanoTime(Long.MIN_VALUE + 7).nanoTime(), "any reading, wrapped too");
        assertEquals(0, live.atNanoTime(0).nanoTime());
        assertTrue(fixed.toString().endsWith(" at 42ns"), fixed.toString());
    }
}

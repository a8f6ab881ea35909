package dev.lb.runtime.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.Await;
import dev.lb.runtime.config.OutlierConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.TestBackends;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutlierDetectorTest {

    private static final Duration BASE = Duration.ofMillis(300);

    // One thread, so that settle() (a no-op run after them) proves the ejections handed over have run.
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "lb-health-test"));
    private final List<HealthEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> publishingThreads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private OutlierDetector detector(Pool pool, OutlierConfig config) {
        pool.events(event -> {
            publishingThreads.add(Thread.currentThread().getName());
            events.add(event);
        });
        OutlierDetector detector = new OutlierDetector(pool, config, scheduler);
        pool.outcomes(detector);
        return detector;
    }

    private static OutlierConfig config(int failures, int fiveXx, Duration base, Duration max, int percent) {
        return new OutlierConfig(failures, fiveXx, base, max, percent);
    }

    @Test
    void afterAReloadChangedTheMembersKeptBackendsStayEjectedAndAddedOnesAreWatched() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b", "c");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        BackendState a = backends.get(0);
        try (OutlierDetector detector = detector(pool, config(0, 1, Duration.ofSeconds(20), Duration.ofSeconds(20),
                100))) {
            pool.outcomes().responded(a, 500);
            Await.until(a::isEjected, "a ejected");
            BackendState d = TestBackends.named("x", "y", "z", "d").get(3);
            pool.reconfigure(List.of(a, backends.get(1), d), pool.algorithm());
            detector.follow();
            assertTrue(a.isEjected(), "a kept its ejection");
            assertEquals(1, detector.ejectionMultiplier(a), "and its multiplier");
            pool.outcomes().responded(d, 503);
            Await.until(d::isEjected, "the added backend is watched");
            assertEquals(0, detector.ejectionMultiplier(backends.get(2)), "the removed one is forgotten");
        }
    }

    @Test
    void aRetiredDetectorLetsTheBackendsItEjectedBackAtOnce() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        BackendState a = backends.get(0);
        OutlierDetector detector = detector(pool, config(0, 1, Duration.ofSeconds(20), Duration.ofSeconds(20), 50));
        pool.outcomes().responded(a, 500);
        Await.until(a::isEjected, "a ejected");
        detector.retire();
        assertFalse(a.isEjected());
        assertEquals(2, pool.snapshot().eligible().size());
        HealthEvent up = events.get(events.size() - 1);
        assertEquals(EventType.BACKEND_UP, up.type());
        assertEquals("outlier detection settings changed by a configuration reload", up.reason());
        pool.outcomes().responded(a, 500);
        settle(); // anything handed to the scheduler has run
        assertFalse(a.isEjected());
    }

    @Test
    void consecutive5xxEjectOnTheHealthSchedulerAndTheBackendReturnsAfterTheBaseTime() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        BackendState a = backends.get(0);
        try (OutlierDetector detector = detector(pool, config(5, 3, BASE, Duration.ofSeconds(10), 50))) {
            assertSame(detector, pool.outcomes(), "installed");
            pool.outcomes().responded(a, 500);
            pool.outcomes().responded(a, 502);
            assertFalse(a.isEjected());
            long started = System.nanoTime();
            pool.outcomes().responded(a, 503);
            Await.until(() -> events.size() == 1, "a ejected");
            assertTrue(a.isEjected());
            assertEquals(List.of(backends.get(1)), pool.snapshot().eligible());
            HealthEvent down = events.get(0);
            assertEquals(EventType.BACKEND_DOWN, down.type());
            assertEquals("ejected by outlier detection for 300ms: 3 consecutive 5xx responses (last: 503)",
                    down.reason());

            Await.until(() -> events.size() == 2, "a back");
            assertFalse(a.isEjected());
            assertTrue(System.nanoTime() - started >= BASE.toNanos(), "not before the ejection time");
            HealthEvent up = events.get(1);
            assertEquals(EventType.BACKEND_UP, up.type());
            assertEquals("ejection of 300ms by outlier detection ended", up.reason());
            assertTrue(up.previousStateDuration().compareTo(BASE) >= 0, up.previousStateDuration().toString());
            assertTrue(publishingThreads.stream().allMatch(name -> name.startsWith("lb-health-")), publishingThreads
                    .toString());
            assertEquals(1, detector.ejectionMultiplier(a));
        }
    }

    @Test
    void anyOtherResponseClearsThe5xxCount() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        BackendState a = backends.get(0);
        try (OutlierDetector detector = detector(pool, config(0, 3, BASE, Duration.ofSeconds(10), 50))) {
            assertSame(detector, pool.outcomes(), "installed");
            for (int round = 0; round < 5; round++) {
                pool.outcomes().responded(a, 500);
                pool.outcomes().responded(a, 500);
                pool.outcomes().responded(a, 404);
            }
            // Connect failures are off (0): any number of them ejects nothing.
            for (int i = 0; i < 20; i++) {
                pool.outcomes().connectFailed(a, new ConnectException("Connection refused"));
            }
            settle();
            assertFalse(a.isEjected());
            assertTrue(events.isEmpty());
        }
    }

    @Test
    void consecutiveConnectFailuresAndResetsEjectAndAConnectClearsThem() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        BackendState a = backends.get(0);
        try (OutlierDetector detector = detector(pool, config(3, 0, BASE, Duration.ofSeconds(10), 50))) {
            assertSame(detector, pool.outcomes(), "installed");
            pool.outcomes().connectFailed(a, new ConnectException("Connection refused"));
            pool.outcomes().connectFailed(a, new ConnectException("Connection refused"));
            pool.outcomes().connected(a);
            pool.outcomes().connectFailed(a, new ConnectException("Connection refused"));
            pool.outcomes().resetBeforeResponse(a);
            pool.outcomes().responded(a, 503); // 5xx are off; a response still proves the connection works
            pool.outcomes().connectFailed(a, new ConnectException("Connection refused"));
            settle();
            assertFalse(a.isEjected());

            pool.outcomes().resetBeforeResponse(a);
            pool.outcomes().connectFailed(a, new ConnectException("Connection refused"));
            Await.until(() -> events.size() == 1, "a ejected");
            assertEquals("ejected by outlier detection for 300ms: 3 consecutive connect failures (last: Connection"
                    + " refused)", events.get(0).reason());
        }
    }

    @Test
    void theEjectedShareOfThePoolIsCapped() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b", "c", "d");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        try (OutlierDetector detector = detector(pool, config(1, 0, Duration.ofSeconds(20), Duration.ofSeconds(20),
                50))) {
            assertSame(detector, pool.outcomes(), "installed");
            for (BackendState backend : backends) {
                pool.outcomes().connectFailed(backend, new ConnectException("Connection refused"));
                settle();
            }
            assertEquals(2, backends.stream().filter(BackendState::isEjected).count(), "50% of 4");
            assertEquals(2, pool.snapshot().eligible().size());
        }
    }

    @Test
    void oneBackendMayAlwaysBeEjectedUnlessThePercentIsZero() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        try (OutlierDetector detector = detector(pool, config(1, 0, Duration.ofSeconds(20), Duration.ofSeconds(20),
                10))) {
            assertSame(detector, pool.outcomes(), "installed");
            backends.forEach(b -> pool.outcomes().connectFailed(b, new ConnectException("refused")));
            Await.until(() -> backends.stream().anyMatch(BackendState::isEjected), "one ejected");
            settle();
            assertEquals(1, backends.stream().filter(BackendState::isEjected).count(), "10% of 2 still allows one");
        }
        List<BackendState> others = TestBackends.named("a", "b");
        Pool none = new Pool("other", others, new TestBackends.RoundRobin());
        try (OutlierDetector detector = detector(none, config(1, 0, BASE, BASE, 0))) {
            assertSame(detector, none.outcomes(), "installed");
            none.outcomes().connectFailed(others.get(0), new ConnectException("refused"));
            settle();
            assertFalse(others.get(0).isEjected(), "0% ejects nothing");
        }
    }

    @Test
    void aQuickRelapseIsEjectedForLongerUpToTheMaximum() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        BackendState a = backends.get(0);
        try (OutlierDetector detector = detector(pool, config(1, 0, BASE, Duration.ofMillis(500), 50))) {
            assertSame(detector, pool.outcomes(), "installed");
            pool.outcomes().connectFailed(a, new ConnectException("refused"));
            Await.until(a::isEjected, "first ejection");
            Await.until(() -> !a.isEjected(), "first return");
            pool.outcomes().connectFailed(a, new ConnectException("refused"));
            Await.until(() -> events.size() == 3, "second ejection");
            assertEquals(2, detector.ejectionMultiplier(a));
            // Twice the base (600ms) is more than the maximum (500ms).
            HealthEvent second = events.stream().filter(e -> e.type() == EventType.BACKEND_DOWN).skip(1).findFirst()
                    .orElseThrow();
            assertTrue(second.reason().startsWith("ejected by outlier detection for 500ms:"), second.reason());
        }
    }

    @Test
    void ejectionTimeGrowsWithTheMultiplierAndIsCapped() {
        Pool pool = new Pool("app", TestBackends.named("a"), new TestBackends.RoundRobin());
        try (OutlierDetector detector = new OutlierDetector(pool,
                config(5, 5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50), scheduler)) {
            assertEquals(Duration.ofSeconds(30), detector.ejectionTime(1));
            assertEquals(Duration.ofSeconds(90), detector.ejectionTime(3));
            assertEquals(Duration.ofMinutes(5), detector.ejectionTime(10));
            assertEquals(Duration.ofMinutes(5), detector.ejectionTime(Integer.MAX_VALUE));
        }
    }

    @Test
    void closingCancelsTheReturnTimers() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        OutlierDetector detector = detector(pool, config(1, 0, BASE, BASE, 50));
        pool.outcomes().connectFailed(backends.get(0), new ConnectException("refused"));
        Await.until(backends.get(0)::isEjected, "ejected");
        detector.close();
        Thread.sleep(BASE.toMillis() * 2);
        assertTrue(backends.get(0).isEjected(), "a closed detector changes nothing more");
        pool.outcomes().connectFailed(backends.get(1), new ConnectException("refused"));
        settle();
        assertFalse(backends.get(1).isEjected());
    }

    /** Lets the scheduler run what the counting methods handed it. */
    private void settle() throws Exception {
        scheduler.submit(() -> { }).get();
    }

}

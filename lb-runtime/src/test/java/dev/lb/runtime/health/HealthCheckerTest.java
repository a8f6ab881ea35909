package dev.lb.runtime.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.Await;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.TestBackends;
import dev.lb.spi.BlockingHealthProbe;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.ProbeTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HealthCheckerTest {

    private final ScheduledExecutorService scheduler = HealthService.newScheduler();
    private final List<HealthEvent> events = new CopyOnWriteArrayList<>();
    private final ScriptedProbe probe = new ScriptedProbe();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void fallTakesABackendDownAndRiseBringsItBackWithEvents() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        try (HealthChecker checker = checker(pool, 3, 2)) {
            checker.start();
            probe.set("a", Mode.REFUSED);
            Await.until(() -> !backends.get(0).isHealthy(), "a goes down");
            HealthEvent down = awaitEvent(EventType.BACKEND_DOWN);
            assertEquals("3 probes failed: connection refused", down.reason());
            assertEquals("a", down.backend());
            assertEquals(backends.get(0).address(), down.address());
            assertEquals(List.of(backends.get(1)), pool.snapshot().eligible());

            probe.set("a", Mode.HEALTHY);
            HealthEvent up = awaitEvent(EventType.BACKEND_UP);
            assertEquals("2 probes passed", up.reason());
            assertTrue(up.previousStateDuration().toNanos() > 0);
            assertEquals(2, pool.snapshot().eligible().size());
            assertFalse(events.stream().anyMatch(e -> e.type() == EventType.POOL_EMPTY));
        }
    }

    @Test
    void timeoutsAndExceptionsCountAsFailuresAndAnEmptyPoolIsReported() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        try (HealthChecker checker = checker(pool, 2, 1)) {
            probe.set("a", Mode.HANGS);
            probe.set("b", Mode.THROWS);
            checker.start();
            HealthEvent empty = awaitEvent(EventType.POOL_EMPTY);
            assertTrue(empty.reason().startsWith("no eligible backend left"), empty.reason());
            assertEquals(null, empty.backend());
            List<String> reasons = events.stream().filter(e -> e.type() == EventType.BACKEND_DOWN)
                    .map(HealthEvent::reason).sorted().toList();
            assertEquals(List.of("2 probes failed: probe exploded", "2 probes failed: timed out after 50ms"), reasons);
            assertTrue(probe.onlyHealthThreads.get(), "checks start on the health scheduler");

            probe.set("b", Mode.HEALTHY);
            HealthEvent recovered = awaitEvent(EventType.POOL_RECOVERED);
            assertEquals("backend b is eligible again", recovered.reason());
        }
    }

    @Test
    void aBlockingProbeRunsOnVirtualThreadsAndAStuckCheckHoldsUpNoOther() throws Exception {
        List<BackendState> backends = TestBackends.named("a", "b");
        Pool pool = new Pool("app", backends, new TestBackends.RoundRobin());
        pool.events(events::add);
        AtomicBoolean allVirtual = new AtomicBoolean(true);
        AtomicInteger checksOfB = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        BlockingHealthProbe blocking = target -> {
            if (!Thread.currentThread().isVirtual()) {
                allVirtual.set(false);
            }
            if (target.backend().name().equals("a")) {
                release.await(); // stuck far beyond the timeout, as a careless third-party probe might be
                return ProbeResult.healthy();
            }
            checksOfB.incrementAndGet();
            return ProbeResult.healthy();
        };
        HealthConfig config = new HealthConfig(null, Duration.ofMillis(20), Duration.ofMillis(50), 1, 2);
        try (HealthChecker checker = new HealthChecker(pool, config, blocking, scheduler)) {
            checker.start();
            HealthEvent down = awaitEvent(EventType.BACKEND_DOWN);
            assertEquals("a", down.backend());
            assertEquals("2 probes failed: timed out after 50ms", down.reason());
            int before = checksOfB.get();
            Await.until(() -> checksOfB.get() >= before + 5, "b is still checked while a's checks hang");
            assertTrue(backends.get(1).isHealthy());
            assertTrue(allVirtual.get(), "every blocking check ran on a virtual thread");
        } finally {
            release.countDown();
        }
    }

    private HealthChecker checker(Pool pool, int fall, int rise) {
        HealthConfig config = new HealthConfig(null, Duration.ofMillis(20), Duration.ofMillis(50), rise, fall);
        pool.events(events::add);
        return new HealthChecker(pool, config, probe, scheduler);
    }

    private HealthEvent awaitEvent(EventType type) throws InterruptedException {
        Await.until(() -> events.stream().anyMatch(e -> e.type() == type), type.configName());
        return events.stream().filter(e -> e.type() == type).findFirst().orElseThrow();
    }


    private enum Mode { HEALTHY, REFUSED, HANGS, THROWS }

    /** A probe whose answer per backend is set by the test. */
    private static final class ScriptedProbe implements HealthProbe {

        final Map<String, Mode> modes = new ConcurrentHashMap<>();
        final AtomicBoolean onlyHealthThreads = new AtomicBoolean(true);

        void set(String backend, Mode mode) {
            modes.put(backend, mode);
        }

        @Override
        public CompletionStage<ProbeResult> check(ProbeTarget target) {
            if (!Thread.currentThread().getName().startsWith("lb-health-")) {
                onlyHealthThreads.set(false);
            }
            return switch (modes.getOrDefault(target.backend().name(), Mode.HEALTHY)) {
                case HEALTHY -> CompletableFuture.completedFuture(ProbeResult.healthy());
                case REFUSED -> CompletableFuture.completedFuture(ProbeResult.unhealthy("connection refused"));
                case HANGS -> new CompletableFuture<>();
                case THROWS -> throw new IllegalStateException("probe exploded");
            };
        }
    }
}

package dev.lb.harness.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.junit.Await;
import dev.lb.runtime.notify.NotifierStats;
import dev.lb.runtime.pool.Pool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A webhook endpoint that fails or hangs: retries back off, the queue bound holds and drops are counted, and neither
 * traffic nor health checking waits for it. Timing claims are relative to a run without the webhook, never absolute.
 */
@Timeout(120)
class SlowWebhookTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CYCLES = 150;
    private static final int CLIENTS = 150;
    private static final int QUEUE = 4;

    @TempDir
    Path dir;

    @Test
    void aFailingEndpointIsRetriedWithExponentialBackoffWithoutHoldingThePublisher() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                WebhookReceiver receiver = new WebhookReceiver();
                Balancer balancer = Balancer.start("""
                        listeners:
                          - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                        pools:
                          app:
                            backends:
                              - { name: a, address: %s }
                              - { name: b, address: %s }
                        notifiers:
                          - { type: webhook, url: "%s", attempts: 3, backoff: 500ms }
                        """.formatted(WebhookHealthTest.address(a), WebhookHealthTest.address(b), receiver.url()),
                        dir)) {
            receiver.mode(WebhookReceiver.Mode.FAIL);
            balancer.pool("app").drain("b");
            assertTrue(receiver.received().size() <= 1, "drain returned before any retry: retries are not its wait");
            Await.until(() -> balancer.lb.notifierStats().get(0).failed() == 1, WAIT, "given up after 3 attempts");
            List<WebhookReceiver.Received> attempts = receiver.received();
            assertEquals(3, attempts.size());
            assertTrue(attempts.stream().allMatch(r -> r.event().equals("backend-drained")));
            long firstGap = attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos();
            long secondGap = attempts.get(2).arrivedNanos() - attempts.get(1).arrivedNanos();
            assertTrue(firstGap >= Duration.ofMillis(500).toNanos(), "first retry after the backoff: " + firstGap);
            assertTrue(secondGap >= Duration.ofMillis(1000).toNanos(), "then twice as long: " + secondGap);
            NotifierStats stats = balancer.lb.notifierStats().get(0);
            assertEquals(0, stats.delivered());
            assertEquals(0, stats.dropped());
            assertEquals("a", balancer.identity("l4"), "traffic went on meanwhile");
        }
    }

    @Test
    void aHangingEndpointBoundsItsQueueCountsDropsAndSlowsNeitherTrafficNorHealthChecks() throws Exception {
        Figures without = run(false);
        Figures with = run(true);
        LoggerFactory.getLogger(SlowWebhookTest.class).info("without the webhook: {}; with a hanging one: {}", without,
                with);

        NotifierStats stats = with.stats;
        int published = 4 * CYCLES; // drained + pool-empty, then up + pool-recovered, per cycle
        long accounted = stats.delivered() + stats.failed() + stats.dropped() + stats.queued();
        assertTrue(stats.queued() <= QUEUE, "the queue bound holds: " + stats);
        assertTrue(stats.dropped() >= published - QUEUE - 2, "what did not fit was dropped and counted: " + stats);
        assertTrue(accounted >= published - 1 && accounted <= published,
                "every event is delivered, failed, dropped, queued or the one in flight: " + stats);
        assertTrue(with.requests <= 2, "one request hangs at a time, each bounded by the timeout: " + with.requests);

        // Relative bounds, generous for a shared 2-core machine: the same work with and without the stuck webhook.
        assertTrue(with.medianClientNanos < 10 * without.medianClientNanos + without.p90ClientNanos,
                "proxied connections are not slowed: median " + with.medianClientNanos + " ns with the stuck"
                        + " webhook, " + without.medianClientNanos + " ns without");
        assertTrue(with.flapNanos < 10 * without.flapNanos, "publishing events never waits for the webhook: "
                + with.flapNanos + " ns with, " + without.flapNanos + " ns without");
        assertTrue(with.downDetectedNanos < 10 * without.downDetectedNanos + Duration.ofSeconds(1).toNanos(),
                "health checking is not held up: backend down after " + with.downDetectedNanos + " ns with, "
                        + without.downDetectedNanos + " ns without");
    }

    /** What one run measured. */
    private record Figures(
            long medianClientNanos, long p90ClientNanos, long flapNanos, long downDetectedNanos, NotifierStats stats,
            int requests) {
    }

    /**
     * Proxies {@link #CLIENTS} connections through pool {@code app} while another pool's only backend is drained and
     * enabled {@link #CYCLES} times (four events each), then stops a probed backend and times its detection.
     */
    private Figures run(boolean withWebhook) throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                DummyTcpBackend c = DummyTcpBackend.start("c");
                WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.mode(WebhookReceiver.Mode.HANG);
            String notifiers = withWebhook ? """
                    notifiers:
                      - { type: webhook, url: "%s", timeout: 30s, attempts: 1, queue-size: %d }
                    """.formatted(receiver.url(), QUEUE) : "";
            try (Balancer balancer = Balancer.start("""
                    listeners:
                      - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                    pools:
                      app:
                        backends:
                          - { name: a, address: %s }
                          - { name: b, address: %s }
                        health: { interval: 300ms, timeout: 300ms, rise: 1, fall: 2 }
                      flap:
                        backends:
                          - { name: c, address: %s }
                    """.formatted(WebhookHealthTest.address(a), WebhookHealthTest.address(b),
                    WebhookHealthTest.address(c)) + notifiers, dir)) {
                Pool flap = balancer.pool("flap");
                AtomicBoolean flapping = new AtomicBoolean(true);
                AtomicInteger cycles = new AtomicInteger();
                CompletableFuture<Long> flapper = CompletableFuture.supplyAsync(() -> {
                    long started = System.nanoTime();
                    for (int i = 0; i < CYCLES; i++) {
                        flap.drain("c");
                        flap.enable("c");
                        cycles.incrementAndGet();
                        Thread.onSpinWait();
                    }
                    flapping.set(false);
                    return System.nanoTime() - started;
                });
                long[] clients = new long[CLIENTS];
                for (int i = 0; i < CLIENTS; i++) {
                    long started = System.nanoTime();
                    String identity = balancer.identity("l4");
                    clients[i] = System.nanoTime() - started;
                    assertTrue("a".equals(identity) || "b".equals(identity), "served: " + identity);
                }
                long flapNanos = flapper.get();
                assertEquals(CYCLES, cycles.get());
                assertFalse(flapping.get());

                // Before b's own event joins them: the figures count the flapping pool's events only.
                NotifierStats stats = withWebhook ? balancer.lb.notifierStats().get(0) : null;
                long stopped = System.nanoTime();
                b.stop();
                Await.until(() -> !balancer.pool("app").backend("b").orElseThrow().isHealthy(), WAIT, "b detected down");
                long detected = System.nanoTime() - stopped;

                Arrays.sort(clients);
                return new Figures(clients[CLIENTS / 2], clients[CLIENTS * 9 / 10], flapNanos, detected, stats,
                        receiver.received().size());
            }
        }
    }

}

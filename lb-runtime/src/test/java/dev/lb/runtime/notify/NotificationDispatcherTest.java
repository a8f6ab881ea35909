package dev.lb.runtime.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.runtime.Await;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NotificationDispatcherTest {

    private static HealthEvent event(EventType type, String backend) {
        return new HealthEvent(type, Instant.now(), "app", backend, null, "test", Duration.ZERO);
    }

    @Test
    void eachNotifierGetsOnlyTheEventsItAskedFor() throws Exception {
        List<HealthEvent> downs = new CopyOnWriteArrayList<>();
        List<HealthEvent> all = new CopyOnWriteArrayList<>();
        NotificationDispatcher dispatcher = new NotificationDispatcher(List.of(
                new NotificationDispatcher.Registration("downs", downs::add, Set.of(EventType.BACKEND_DOWN), 10, 1),
                new NotificationDispatcher.Registration("all", all::add, EnumSet.allOf(EventType.class), 10, 1)));
        dispatcher.publish(event(EventType.BACKEND_DOWN, "a"));
        dispatcher.publish(event(EventType.BACKEND_UP, "a"));
        Await.until(() -> all.size() == 2 && downs.size() == 1, "both events delivered");
        dispatcher.close();
        assertEquals(EventType.BACKEND_DOWN, downs.get(0).type());
        assertEquals(List.of(EventType.BACKEND_DOWN, EventType.BACKEND_UP), all.stream().map(HealthEvent::type).toList());
        assertEquals(new NotifierStats("downs", 1, 0, 0, 0), dispatcher.stats().get(0));
    }

    @Test
    void failedDeliveriesAreRetriedWithBackoffUpToTheAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Notifier flaky = e -> {
            if (calls.incrementAndGet() % 3 != 0) {
                throw new IllegalStateException("webhook said 503");
            }
        };
        AtomicInteger hopelessCalls = new AtomicInteger();
        Notifier hopeless = e -> {
            hopelessCalls.incrementAndGet();
            throw new IllegalStateException("down for good");
        };
        NotificationDispatcher dispatcher = new NotificationDispatcher(List.of(
                new NotificationDispatcher.Registration("flaky", flaky, EnumSet.allOf(EventType.class), 10, 3),
                new NotificationDispatcher.Registration("hopeless", hopeless, EnumSet.allOf(EventType.class), 10, 2)),
                Duration.ofMillis(5));
        dispatcher.publish(event(EventType.BACKEND_DOWN, "a"));
        Await.until(() -> dispatcher.stats().get(0).delivered() == 1 && dispatcher.stats().get(1).failed() == 1,
                "one delivered, one given up");
        dispatcher.close();
        assertEquals(3, calls.get(), "two failures, then success on the third attempt");
        assertEquals(2, hopelessCalls.get(), "given up after two attempts");
    }

    @Test
    void eachNotifierMayHaveItsOwnBackoffWhichDoubles() throws Exception {
        List<Long> attemptsAt = new CopyOnWriteArrayList<>();
        Notifier failing = e -> {
            attemptsAt.add(System.nanoTime());
            throw new IllegalStateException("503");
        };
        NotificationDispatcher dispatcher = new NotificationDispatcher(List.of(
                new NotificationDispatcher.Registration("slow", failing, EnumSet.allOf(EventType.class), 10, 3,
                        Duration.ofMillis(100))), Duration.ofMillis(1));
        dispatcher.publish(event(EventType.BACKEND_DOWN, "a"));
        Await.until(() -> dispatcher.stats().get(0).failed() == 1, "given up after its attempts");
        dispatcher.close();
        assertEquals(3, attemptsAt.size());
        long first = attemptsAt.get(1) - attemptsAt.get(0);
        long second = attemptsAt.get(2) - attemptsAt.get(1);
        assertTrue(first >= Duration.ofMillis(100).toNanos(), "its own 100ms, not the dispatcher's 1ms: " + first);
        assertTrue(second >= Duration.ofMillis(200).toNanos(), "doubled: " + second);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlockingThePublisher() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<HealthEvent> delivered = new CopyOnWriteArrayList<>();
        Notifier stuck = e -> {
            entered.countDown();
            release.await();
            delivered.add(e);
        };
        NotificationDispatcher dispatcher = new NotificationDispatcher(List.of(
                new NotificationDispatcher.Registration("stuck", stuck, EnumSet.allOf(EventType.class), 2, 1)));
        dispatcher.publish(event(EventType.BACKEND_DOWN, "first"));
        assertTrue(entered.await(5, TimeUnit.SECONDS));

        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            dispatcher.publish(event(EventType.BACKEND_DOWN, "b" + i));
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1), "publish never waits");
        assertEquals(new NotifierStats("stuck", 0, 0, 8, 2), dispatcher.stats().get(0));

        release.countDown();
        dispatcher.close(Duration.ofSeconds(5));
        assertEquals(List.of("first", "b0", "b1"), delivered.stream().map(HealthEvent::backend).toList());
        assertEquals(new NotifierStats("stuck", 3, 0, 8, 0), dispatcher.stats().get(0));
    }

    @Test
    void closeClosesTheNotifiersAndRefusesLaterEvents() {
        AtomicBoolean closed = new AtomicBoolean();
        Notifier notifier = new Notifier() {
            @Override
            public void deliver(HealthEvent event) {
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        NotificationDispatcher dispatcher = new NotificationDispatcher(List.of(
                new NotificationDispatcher.Registration("n", notifier, EnumSet.allOf(EventType.class), 4, 1)));
        dispatcher.close();
        assertTrue(closed.get());
        dispatcher.publish(event(EventType.POOL_EMPTY, null));
        assertEquals(1, dispatcher.stats().get(0).dropped());
    }

}

package dev.lb.harness.l4;

import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A notifier that keeps every event it is given, for assertions. */
final class RecordingNotifier implements Notifier {

    private final List<HealthEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(HealthEvent event) {
        events.add(event);
    }

    List<HealthEvent> events() {
        return List.copyOf(events);
    }

    /** How many events have been received so far, to wait for later ones with {@link #awaitAfter}. */
    int mark() {
        return events.size();
    }

    /** Waits up to {@code timeout} for an event of {@code type} about {@code backend} (null for pool events). */
    HealthEvent await(EventType type, String backend, Duration timeout) throws InterruptedException {
        return awaitAfter(0, type, backend, timeout);
    }

    /** Like {@link #await} but only among the events received after the first {@code mark}. */
    HealthEvent awaitAfter(int mark, EventType type, String backend, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<HealthEvent> seen = List.copyOf(events);
            for (HealthEvent event : seen.subList(Math.min(mark, seen.size()), seen.size())) {
                if (event.type() == type && java.util.Objects.equals(event.backend(), backend)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type.configName() + " event for " + backend + " within " + timeout
                + "; got " + events.stream().map(HealthEvent::describe).toList());
    }

    /** Provides one shared {@link RecordingNotifier} as {@code recording}. */
    static final class Provider implements NotifierProvider {

        private final RecordingNotifier notifier;

        Provider(RecordingNotifier notifier) {
            this.notifier = notifier;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String description() {
            return "test notifier: records events";
        }

        @Override
        public Notifier create(PluginConfig config) {
            return notifier;
        }
    }
}

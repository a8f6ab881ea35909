package dev.lb.harness.bed;

import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A notifier that keeps every event it is given, with the moment it arrived, so that tests and scenarios can wait for
 * and count notifications. Registered in a balancer's plugin catalog as {@value #PLUGIN_NAME} by {@link TestBed}.
 */
public final class EventRecorder implements Notifier {

    /** The notifier's name in configuration. */
    public static final String PLUGIN_NAME = "harness-recorder";

    private final List<Received> events = new CopyOnWriteArrayList<>();

    /**
     * One event and when it arrived.
     *
     * @param event the event
     * @param nanoTime {@link System#nanoTime()} at arrival
     */
    public record Received(HealthEvent event, long nanoTime) {}

    @Override
    public void deliver(HealthEvent event) {
        events.add(new Received(event, System.nanoTime()));
    }

    /** Every event so far, in arrival order. */
    public List<HealthEvent> events() {
        return events.stream().map(Received::event).toList();
    }

    /** Every event so far with its arrival time. */
    public List<Received> received() {
        return List.copyOf(events);
    }

    /** How many events have arrived so far, to wait for later ones with {@link #awaitAfter}. */
    public int mark() {
        return events.size();
    }

    /** The events that arrived after the first {@code mark}. */
    public List<Received> receivedAfter(int mark) {
        List<Received> seen = List.copyOf(events);
        return seen.subList(Math.min(mark, seen.size()), seen.size());
    }

    /**
     * Waits up to {@code timeout} for an event of {@code type} about {@code backend} (null for pool events).
     *
     * @throws AssertionError when none arrives in time, listing the events that did
     */
    public HealthEvent await(EventType type, String backend, Duration timeout) throws InterruptedException {
        return awaitAfter(0, type, backend, timeout);
    }

    /** Like {@link #await} but only among the events that arrived after the first {@code mark}. */
    public HealthEvent awaitAfter(int mark, EventType type, String backend, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received received : receivedAfter(mark)) {
                if (received.event().type() == type && Objects.equals(received.event().backend(), backend)) {
                    return received.event();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + type.configName() + " event for " + (backend == null ? "the pool"
                        : "backend " + backend) + " within " + timeout + "; got "
                        + events().stream().map(HealthEvent::describe).toList());
            }
            Thread.sleep(10);
        }
    }

    /** A provider that hands out this recorder, named {@value #PLUGIN_NAME}. */
    public NotifierProvider provider() {
        EventRecorder recorder = this;
        return new NotifierProvider() {
            @Override
            public String name() {
                return PLUGIN_NAME;
            }

            @Override
            public String description() {
                return "test harness: records every event for assertions";
            }

            @Override
            public Notifier create(PluginConfig config) {
                return recorder;
            }
        };
    }
}

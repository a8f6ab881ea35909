package dev.lb.runtime.notify;

import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import dev.lb.spi.Notifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans health events out to notifiers without ever blocking the publisher.
 *
 * <p>Each notifier has its own bounded queue and its own virtual thread. {@link #publish(HealthEvent)} only offers the
 * event to the queues of the notifiers that want its type; when a queue is full the event is dropped for that
 * notifier and counted. A failed delivery is retried with exponential backoff up to the notifier's attempts.
 */
public final class NotificationDispatcher implements HealthEventSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

    /** The default wait before the first retry; it doubles on each further attempt. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

    /** The longest wait between two attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final List<Channel> channels;
    private volatile boolean closed;

    /**
     * Starts one delivery thread per notifier.
     *
     * @param notifiers the notifiers and their settings
     * @param initialBackoff the wait before the first retry
     */
    public NotificationDispatcher(List<Registration> notifiers, Duration initialBackoff) {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        List<Channel> list = new ArrayList<>();
        for (Registration registration : notifiers) {
            list.add(new Channel(registration, initialBackoff));
        }
        this.channels = List.copyOf(list);
        channels.forEach(Channel::start);
    }

    /** Starts one delivery thread per notifier, with {@link #DEFAULT_INITIAL_BACKOFF}. */
    public NotificationDispatcher(List<Registration> notifiers) {
        this(notifiers, DEFAULT_INITIAL_BACKOFF);
    }

    @Override
    public void publish(HealthEvent event) {
        Objects.requireNonNull(event, "event");
        for (Channel channel : channels) {
            if (channel.registration.events().contains(event.type())) {
                channel.offer(event, closed);
            }
        }
    }

    /** Per-notifier figures, in registration order. */
    public List<NotifierStats> stats() {
        return channels.stream().map(Channel::stats).toList();
    }

    /** Stops with a short drain of {@code 1s}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }

    /**
     * Stops taking events, gives the queues up to {@code drain} to empty, then stops the threads (dropping and counting
     * what is left) and closes the notifiers.
     */
    public void close(Duration drain) {
        closed = true;
        long deadline = System.nanoTime() + drain.toNanos();
        for (Channel channel : channels) {
            channel.finish(deadline);
        }
        for (Channel channel : channels) {
            channel.closeNotifier();
        }
    }

    /**
     * One notifier and the runtime's settings for feeding it.
     *
     * @param name for logs and stats
     * @param notifier the plugin instance; closed by the dispatcher
     * @param events the event types it receives
     * @param queueSize events held while it is busy, at least 1
     * @param attempts delivery attempts per event, at least 1
     * @param backoff the wait before its first retry, doubling after; null for the dispatcher's
     */
    public record Registration(
            String name, Notifier notifier, Set<EventType> events, int queueSize, int attempts, Duration backoff) {

        /** A registration with the dispatcher's backoff. */
        public Registration(String name, Notifier notifier, Set<EventType> events, int queueSize, int attempts) {
            this(name, notifier, events, queueSize, attempts, null);
        }

        /** Checks the settings. */
        public Registration {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(notifier, "notifier");
            events = Set.copyOf(events);
            if (queueSize < 1) {
                throw new IllegalArgumentException("notifier " + name + ": queue-size must be at least 1, was "
                        + queueSize);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("notifier " + name + ": attempts must be at least 1, was "
                        + attempts);
            }
            if (backoff != null && (backoff.isNegative() || backoff.isZero())) {
                throw new IllegalArgumentException("notifier " + name + ": backoff must be positive, was " + backoff);
            }
        }
    }

    /** A queue and the thread that empties it into one notifier. */
    private static final class Channel {

        private final Registration registration;
        private final long initialBackoffNanos;
        private final BlockingQueue<HealthEvent> queue;
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        /** Events accepted and not yet finished with: queued plus the one being delivered. */
        private final AtomicInteger pending = new AtomicInteger();
        private volatile boolean stopping;
        private Thread thread;

        Channel(Registration registration, Duration initialBackoff) {
            this.registration = registration;
            Duration backoff = registration.backoff() != null ? registration.backoff() : initialBackoff;
            this.initialBackoffNanos = Math.max(1, backoff.toNanos());
            this.queue = new ArrayBlockingQueue<>(registration.queueSize());
        }

        void start() {
            thread = Thread.ofVirtual().name("notifier-" + registration.name()).start(this::run);
        }

        void offer(HealthEvent event, boolean refuse) {
            pending.incrementAndGet();
            if (refuse || !queue.offer(event)) {
                pending.decrementAndGet();
                long count = dropped.incrementAndGet();
                // Log the first drop and then sparsely: a flood of drops must not become a flood of log lines.
                if (count == 1 || count % 1000 == 0) {
                    log.warn("notifier {}: dropped {} event(s) so far ({}), its queue of {} is full or closing",
                            registration.name(), count, event.describe(), registration.queueSize());
                }
            }
        }

        private void run() {
            while (!stopping) {
                HealthEvent event;
                try {
                    event = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (event == null) {
                    continue;
                }
                try {
                    deliver(event);
                } catch (InterruptedException e) {
                    dropped.incrementAndGet();
                    return;
                } finally {
                    pending.decrementAndGet();
                }
            }
        }

        private void deliver(HealthEvent event) throws InterruptedException {
            long backoff = initialBackoffNanos;
            for (int attempt = 1; ; attempt++) {
                try {
                    registration.notifier().deliver(event);
                    delivered.incrementAndGet();
                    return;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (attempt >= registration.attempts()) {
                        failed.incrementAndGet();
                        log.warn("notifier {}: gave up on {} after {} attempt(s): {}", registration.name(),
                                event.describe(), attempt, String.valueOf(e.getMessage()), e);
                        return;
                    }
                    log.debug("notifier {}: attempt {} failed, retrying in {} ms: {}", registration.name(), attempt,
                            TimeUnit.NANOSECONDS.toMillis(backoff), e.toString());
                    TimeUnit.NANOSECONDS.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF.toNanos());
                }
            }
        }

        void finish(long deadlineNanos) {
            while (pending.get() > 0 && System.nanoTime() < deadlineNanos && thread.isAlive()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stopping = true;
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int left = queue.size();
            queue.clear();
            if (left > 0) {
                dropped.addAndGet(left);
                log.warn("notifier {}: {} event(s) not delivered before shutdown", registration.name(), left);
            }
        }

        void closeNotifier() {
            try {
                registration.notifier().close();
            } catch (RuntimeException e) {
                log.warn("notifier {}: failed to close: {}", registration.name(), e.toString(), e);
            }
        }

        NotifierStats stats() {
            return new NotifierStats(registration.name(), delivered.get(), failed.get(), dropped.get(), queue.size());
        }
    }
}

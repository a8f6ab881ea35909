package dev.lb.harness.scenario;

import dev.lb.harness.bed.EventRecorder;
import dev.lb.harness.bed.TestBackend;
import dev.lb.spi.EventType;
import dev.lb.spi.HealthEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The bookkeeping of one scenario run: sends the traffic (one request at a time, paced, bounded), keeps every
 * {@link Exchange}, and collects the failures and notes that make the {@link ScenarioResult}.
 */
final class ScenarioRun {

    /** Between two requests: enough to keep the request count bounded on a long budget. */
    private static final Duration PACE = Duration.ofMillis(10);
    /** A hard bound on one run's requests whatever its budgets. */
    private static final int MAX_REQUESTS = 3_000;
    /** Events go through the notifier's queue and thread: they arrive a moment after the state change. */
    private static final Duration EVENT_GRACE = Duration.ofSeconds(2);

    final ScenarioTarget target;
    private final Scenario scenario;
    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final int eventMark;
    private String fault = "none: the balancer did not serve before any fault";
    private TestBackend victim;
    private TrafficClient client;
    private Duration failover;
    private Duration recovery;

    ScenarioRun(Scenario scenario, ScenarioTarget target) {
        this.scenario = scenario;
        this.target = target;
        this.eventMark = target.events().mark();
        this.client = target.client();
    }

    /** Sends with {@code client} from now on (e.g. one with a shorter timeout for a backend that hangs). */
    void client(TrafficClient client) {
        this.client = client;
    }

    /**
     * The backend faults are injected into, chosen by {@link #warmup()}: one that served the most warm-up requests
     * (so that an algorithm that sticks to one backend, like a hash of the client's address, is faulted where its
     * traffic goes), the second of the pool when several tie.
     */
    TestBackend victim() {
        if (victim == null) {
            throw new IllegalStateException("the victim is chosen by the warm-up: call warmup() first");
        }
        return victim;
    }

    /** Describes the fault for the result. */
    void fault(String description) {
        this.fault = description;
    }

    /**
     * Sends two requests per backend with no fault; each must be served. A balancer that fails here is not worth
     * faulting: the run stops with that failure.
     */
    boolean warmup() throws InterruptedException {
        int n = 2 * target.backends().size();
        List<Exchange> sent = send(n);
        List<Exchange> failed = sent.stream().filter(e -> !e.ok()).toList();
        if (!failed.isEmpty()) {
            fail("before any fault, " + failed.size() + " of " + n + " requests failed (" + errorKinds(failed)
                    + "): the balancer does not serve at all; check it with lb validate and run it with lb run");
            return false;
        }
        Map<String, Long> served = new java.util.HashMap<>();
        sent.forEach(e -> served.merge(e.backend(), 1L, Long::sum));
        long most = served.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<TestBackend> busiest = target.backends().stream()
                .filter(b -> served.getOrDefault(b.name(), 0L) == most).toList();
        TestBackend second = target.backends().get(Math.min(1, target.backends().size() - 1));
        victim = busiest.contains(second) ? second : busiest.isEmpty() ? second : busiest.getFirst();
        return true;
    }

    /** Sends {@code n} requests. */
    List<Exchange> send(int n) throws InterruptedException {
        List<Exchange> sent = new ArrayList<>();
        for (int i = 0; i < n && exchanges.size() < MAX_REQUESTS; i++) {
            sent.add(once());
        }
        return sent;
    }

    /** Sends requests until {@code done} is true (checked before each) or {@code budget} passes; whether done. */
    boolean sendUntil(BooleanSupplier done, Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < deadline && exchanges.size() < MAX_REQUESTS) {
            if (done.getAsBoolean()) {
                return true;
            }
            once();
        }
        return done.getAsBoolean();
    }

    /** Sends requests until one matches {@code wanted} or {@code budget} passes; the match, or null. */
    Exchange sendUntilServed(Predicate<Exchange> wanted, Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < deadline && exchanges.size() < MAX_REQUESTS) {
            Exchange e = once();
            if (wanted.test(e)) {
                return e;
            }
        }
        return null;
    }

    private Exchange once() throws InterruptedException {
        Exchange e = client.send(target.entry());
        synchronized (exchanges) {
            exchanges.add(e);
        }
        Thread.sleep(PACE);
        return e;
    }

    /**
     * Sends traffic until {@code backends} are all out of rotation, within the detection budget; records the failover
     * time from {@code faultNanos} (by the backend-down event when it came, else by the pool state). Returns the
     * moment they were out, or -1.
     */
    long awaitOutOfRotation(List<TestBackend> backends, long faultNanos) throws InterruptedException {
        boolean out = sendUntil(() -> backends.stream().noneMatch(TestBackend::inRotation), target.detectBudget());
        if (!out) {
            return -1;
        }
        long at = System.nanoTime();
        // The down events carry the moment more precisely than a poll between two requests (which may be slow).
        long latestEvent = Long.MIN_VALUE;
        for (TestBackend b : backends) {
            EventRecorder.Received down = awaitEvent(EventType.BACKEND_DOWN, b.name(), faultNanos);
            if (down == null) {
                latestEvent = Long.MIN_VALUE;
                break;
            }
            latestEvent = Math.max(latestEvent, down.nanoTime());
        }
        if (latestEvent != Long.MIN_VALUE) {
            at = Math.min(at, latestEvent);
        }
        failover = Duration.ofNanos(at - faultNanos);
        return at;
    }

    /** Waits (bounded) for an event that arrived after {@code afterNanos}; null when none came. */
    EventRecorder.Received awaitEvent(EventType type, String backend, long afterNanos) throws InterruptedException {
        return awaitEvent(type, backend, afterNanos, System.nanoTime() + EVENT_GRACE.toNanos());
    }

    /** Waits until {@code deadline} (nanoTime) for an event that arrived after {@code afterNanos}; null if none. */
    EventRecorder.Received awaitEvent(EventType type, String backend, long afterNanos, long deadline)
            throws InterruptedException {
        while (true) {
            for (EventRecorder.Received r : target.events().receivedAfter(eventMark)) {
                if (r.event().type() == type && Objects.equals(r.event().backend(), backend)
                        && r.nanoTime() >= afterNanos) {
                    return r;
                }
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(10);
        }
    }

    /** Expects an event after {@code afterNanos}, within a short grace; a failure when it does not come. */
    void expectEvent(EventType type, String backend, long afterNanos) throws InterruptedException {
        expectEvent(type, backend, afterNanos, Duration.ZERO);
    }

    /**
     * Expects an event after {@code afterNanos}, waiting up to {@code budget} from then (and at least a short grace);
     * a failure when it does not come. Passive outlier detection may take a backend out before the health check
     * notices, so a {@code backend-down} may come well after the backend left rotation.
     */
    void expectEvent(EventType type, String backend, long afterNanos, Duration budget) throws InterruptedException {
        long deadline = Math.max(afterNanos + budget.toNanos(), System.nanoTime() + EVENT_GRACE.toNanos());
        if (awaitEvent(type, backend, afterNanos, deadline) == null) {
            fail("no " + type.configName() + " notification" + (backend == null ? "" : " for backend " + backend)
                    + " was sent");
        }
    }

    /** Expects no event of {@code type} about {@code backend} during the run. */
    void expectNoEvent(EventType type, String backend) {
        if (events().stream().anyMatch(e -> e.type() == type && Objects.equals(e.backend(), backend))) {
            fail("an unexpected " + type.configName() + " notification for backend " + backend + " was sent");
        }
    }

    /**
     * Sends traffic until a request is served by {@code backend}, within the recovery budget, and records the
     * recovery time from {@code healNanos}; a failure when it does not happen.
     */
    boolean awaitServedBy(TestBackend backend, long healNanos) throws InterruptedException {
        Exchange served = sendUntilServed(e -> backend.name().equals(e.backend()), target.recoverBudget());
        if (served == null) {
            fail("backend " + backend.name() + " did not serve again within " + format(target.recoverBudget())
                    + " of the repair");
            return false;
        }
        recovery = Duration.ofNanos(served.endNanos() - healNanos);
        return true;
    }

    /** Sends traffic until any request is served, within the recovery budget; records the recovery time. */
    boolean awaitAnyServed(long healNanos) throws InterruptedException {
        Exchange served = sendUntilServed(Exchange::ok, target.recoverBudget());
        if (served == null) {
            fail("no request was served within " + format(target.recoverBudget()) + " of the repair");
            return false;
        }
        recovery = Duration.ofNanos(served.endNanos() - healNanos);
        return true;
    }

    /** The requests that started at or after {@code nanos}. */
    List<Exchange> since(long nanos) {
        synchronized (exchanges) {
            return exchanges.stream().filter(e -> e.startNanos() >= nanos).toList();
        }
    }

    /** The requests that started in [{@code from}, {@code to}). */
    List<Exchange> between(long from, long to) {
        synchronized (exchanges) {
            return exchanges.stream().filter(e -> e.startNanos() >= from && e.startNanos() < to).toList();
        }
    }

    /** A failure when any of {@code sent} failed, saying how many, how and {@code when}. */
    void expectNoErrors(List<Exchange> sent, String when, String hint) {
        List<Exchange> failed = sent.stream().filter(e -> !e.ok()).toList();
        if (!failed.isEmpty()) {
            fail(failed.size() + " of " + sent.size() + " requests failed " + when + " (" + errorKinds(failed) + ")"
                    + (hint == null || hint.isEmpty() ? "" : ": " + hint));
        }
    }

    void fail(String failure) {
        failures.add(failure);
    }

    void note(String note) {
        notes.add(note);
    }

    /** The events notified since the run began. */
    List<HealthEvent> events() {
        return target.events().receivedAfter(eventMark).stream().map(EventRecorder.Received::event).toList();
    }

    /** Why the balancer cannot avoid errors when a backend refuses: nowhere else to go, or no retry. */
    String whyNoFailover() {
        if (target.serving().size() < 2) {
            return "pool " + target.pool().name() + " has one backend, so there is nothing to fail over to: add"
                    + " backends";
        }
        if (target.listener().connectAttempts() < 2) {
            return "listener " + target.listener().name() + " has connect-attempts: 1, so a client sent to a down"
                    + " backend is not tried on another: set connect-attempts to 2 or more";
        }
        return "";
    }

    /** Why a failed backend is never taken out of rotation, or empty when it is checked. */
    String whyNoDetection() {
        return target.health().isPresent() ? "" : "pool " + target.pool().name() + " has no health check, so a failed"
                + " backend is never taken out of rotation: add health: { probe: tcp }";
    }

    ScenarioResult result() {
        List<Exchange> all;
        synchronized (exchanges) {
            all = List.copyOf(exchanges);
        }
        int errors = (int) all.stream().filter(e -> !e.ok()).count();
        List<String> notified = events().stream().map(e -> e.type().configName()
                + (e.backend() == null ? " " + e.pool() : " " + e.backend())).toList();
        return new ScenarioResult(scenario.name(), target.listener().name(), target.protocol(), fault, all.size(),
                errors, failover, recovery, notified, failures, notes);
    }

    static String errorKinds(List<Exchange> failed) {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        failed.forEach(e -> kinds.merge(e.error(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> parts.add(n + " " + kind));
        return String.join(", ", parts);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms >= 1000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0) : ms + "ms";
    }
}

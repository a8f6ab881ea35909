package dev.lb.harness.scenario;

import dev.lb.harness.bed.EventRecorder;
import dev.lb.harness.bed.TestBackend;
import dev.lb.harness.bed.TestBed;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Scenario} runs against: one listener of a {@link TestBed}, the stood-in backends of its pool, and the
 * time budgets that follow from the pool's health settings.
 */
public final class ScenarioTarget {

    /** Added to every budget: a loaded test machine is slower than the configuration's arithmetic. */
    static final Duration SLACK = Duration.ofSeconds(2);

    private final TestBed bed;
    private final ListenerConfig listener;
    private final PoolConfig pool;
    private final List<TestBackend> backends;
    private final TrafficClient client;

    private ScenarioTarget(TestBed bed, ListenerConfig listener) {
        this.bed = bed;
        this.listener = listener;
        this.pool = bed.config().pools().get(listener.pool());
        this.backends = bed.backends(listener.pool());
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("listener " + listener.name() + ": pool " + listener.pool()
                    + " has no stood-in backend to inject faults into");
        }
        this.client = TrafficClient.of(listener.protocol(), clientTimeout(), listener.tls() != null);
    }

    /** The bed's first listener. */
    public static ScenarioTarget of(TestBed bed) {
        return new ScenarioTarget(bed, bed.listener());
    }

    /** The bed's listener named {@code listener}. */
    public static ScenarioTarget of(TestBed bed, String listener) {
        return new ScenarioTarget(bed, bed.config().listeners().stream().filter(l -> l.name().equals(listener))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no listener named " + listener)));
    }

    public TestBed bed() {
        return bed;
    }

    public ListenerConfig listener() {
        return listener;
    }

    public PoolConfig pool() {
        return pool;
    }

    public Protocol protocol() {
        return listener.protocol();
    }

    /** Where clients connect. */
    public InetSocketAddress entry() {
        return bed.address(listener.name());
    }

    /** The pool's stood-in backends. */
    public List<TestBackend> backends() {
        return backends;
    }

    public EventRecorder events() {
        return bed.events();
    }

    TrafficClient client() {
        return client;
    }

    public Optional<HealthConfig> health() {
        return pool.healthCheck();
    }

    /** The backends not held in drain by the configuration: the ones that take traffic when all is well. */
    public List<TestBackend> serving() {
        return backends.stream().filter(b -> !b.state().isDraining()).toList();
    }

    /** Whether a client sent to a refusing backend is tried on another: two serving backends or more and retries. */
    public boolean retriesConnects() {
        return serving().size() >= 2 && listener.connectAttempts() >= 2;
    }

    /**
     * Whether an idempotent HTTP request ({@code GET}) that a backend resets or closes before answering is replayed on
     * another backend: an HTTP listener with retries for {@code GET}, and two backends or more.
     */
    public boolean retriesRequests() {
        return listener.protocol() == Protocol.HTTP && serving().size() >= 2
                && listener.http().retries().attempts() >= 1 && listener.http().retries().allows("GET");
    }

    /**
     * Why a reset request is not replayed, or empty when it is (see {@link #retriesRequests()}).
     */
    String whyNoReplay() {
        if (listener.protocol() != Protocol.HTTP) {
            return "a TCP balancer cannot replay a connection once the backend accepted it";
        }
        if (serving().size() < 2) {
            return "pool " + pool.name() + " has one backend, so there is nothing to fail over to: add backends";
        }
        var retries = listener.http().retries();
        if (retries.attempts() < 1) {
            return "listener " + listener.name() + " has http.retries.attempts: 0, so a GET a backend reset is not"
                    + " tried on another: set it to 1 or more";
        }
        if (!retries.allows("GET")) {
            return "listener " + listener.name() + " does not retry GET (http.retries.methods: "
                    + retries.sortedMethods() + "): add it";
        }
        return "";
    }

    /**
     * Whether the health probe can see a backend that accepts connections but does not answer properly: any probe
     * but {@code tcp}, which only connects.
     */
    public boolean probeSeesAnswers() {
        return pool.healthCheck().map(h -> !h.probe().type().equals("tcp")).orElse(false);
    }

    /** The longest one client request may take: a connect timeout per attempt, and a second to be answered. */
    public Duration clientTimeout() {
        return listener.connectTimeout().multipliedBy(listener.connectAttempts()).plusSeconds(1);
    }

    /**
     * How long the client waits for the answer of a backend that hangs: over HTTP the listener's response timeout
     * and a little (so its 504 is seen), at most 2s to keep the run short; over TCP a
     * second, as nothing but the client's patience ends a hung exchange.
     */
    public Duration hungClientTimeout() {
        if (listener.protocol() != Protocol.HTTP) {
            return Duration.ofSeconds(1);
        }
        Duration wait = listener.http().responseTimeout().plusMillis(500);
        return wait.toMillis() > MAX_HUNG_WAIT_MILLIS ? Duration.ofMillis(MAX_HUNG_WAIT_MILLIS) : wait;
    }

    private static final long MAX_HUNG_WAIT_MILLIS = 2_000;

    /**
     * How long health checking may take to take a failed backend out: {@code fall} checks, each an interval (with
     * its 10% jitter) and a timeout, plus the interval already under way, plus slack.
     */
    public Duration detectBudget() {
        return pool.healthCheck().map(h -> perCheck(h).multipliedBy(h.fall()).plus(h.interval()).plus(SLACK))
                .orElse(SLACK.plusSeconds(1));
    }

    /**
     * How long a healed backend may take to come back: {@code rise} checks, plus slack; with outlier detection, also
     * up to three ejection times (an ejection lasts one more base time each time the backend is ejected again).
     */
    public Duration recoverBudget() {
        Duration health = pool.healthCheck()
                .map(h -> perCheck(h).multipliedBy(h.rise()).plus(h.interval()).plus(SLACK)).orElse(SLACK);
        if (pool.outlierDetection() == null) {
            return health;
        }
        Duration ejections = pool.outlierDetection().baseEjectionTime().multipliedBy(3);
        Duration max = pool.outlierDetection().maxEjectionTime();
        return health.plus(ejections.compareTo(max) > 0 ? max : ejections);
    }

    private static Duration perCheck(HealthConfig h) {
        return h.interval().plus(h.interval().dividedBy(10)).plus(h.timeout());
    }

    @Override
    public String toString() {
        return "listener " + listener.name() + " (" + listener.protocol().name().toLowerCase(java.util.Locale.ROOT)
                + ") -> pool " + pool.name();
    }
}

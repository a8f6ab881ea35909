package dev.lb.harness.bed;

import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A load balancer for a test, described in code and turned into the values a configuration file would hold: one
 * listener {@value #LISTENER} of a protocol, one pool {@value #POOL} of N backends named {@code a}, {@code b}, ...
 * with an algorithm, optional health checks, and any other listener or pool keys.
 *
 * <pre>{@code
 * LbSpec spec = LbSpec.tcp().backends(3).algorithm("round-robin").health(Duration.ofMillis(100), 2, 2)
 *         .connectAttempts(3);
 * }</pre>
 *
 * The backends' addresses are placeholders: a {@link TestBed} stands dummies in for them.
 */
public final class LbSpec {

    /** The listener's name. */
    public static final String LISTENER = "front";
    /** The pool's name. */
    public static final String POOL = "app";

    private final Protocol protocol;
    private int backends = 3;
    private final List<Map<String, Object>> external = new ArrayList<>();
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private Object algorithm = "round-robin";
    private Map<String, Object> health;
    private final Map<String, Object> listenerKeys = new LinkedHashMap<>();
    private final Map<String, Object> poolKeys = new LinkedHashMap<>();
    private Duration drainTimeout = Duration.ofSeconds(5);

    private LbSpec(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    /** A TCP listener. */
    public static LbSpec tcp() {
        return new LbSpec(Protocol.TCP);
    }

    /** An HTTP listener. */
    public static LbSpec http() {
        return new LbSpec(Protocol.HTTP);
    }

    /** A listener of {@code protocol}. */
    public static LbSpec of(Protocol protocol) {
        return new LbSpec(protocol);
    }

    /** The listener's protocol. */
    public Protocol protocol() {
        return protocol;
    }

    /** {@code n} stood-in backends, named {@code a}, {@code b}, ... (1 to 26; 3 by default). */
    public LbSpec backends(int n) {
        if (n < 0 || n > 26) {
            throw new IllegalArgumentException("backends must be from 0 to 26, not " + n);
        }
        this.backends = n;
        return this;
    }

    /** The weight of backend {@code name}. */
    public LbSpec weight(String name, int weight) {
        weights.put(name, weight);
        return this;
    }

    /**
     * A backend that is not stood in for: the balancer connects to {@code address} itself. Placed before the
     * stood-in ones, in the order added.
     */
    public LbSpec externalBackend(String name, InetSocketAddress address) {
        external.add(Map.of("name", name, "address", address.getAddress().getHostAddress() + ":" + address.getPort()));
        return this;
    }

    /** The names of the {@linkplain #externalBackend external} backends. */
    public Set<String> externalBackends() {
        return external.stream().map(b -> (String) b.get("name")).collect(Collectors.toSet());
    }

    /** The algorithm, by name ({@code round-robin} by default). */
    public LbSpec algorithm(String type) {
        this.algorithm = Objects.requireNonNull(type, "type");
        return this;
    }

    /** The algorithm with its own settings. */
    public LbSpec algorithm(String type, Map<String, ?> settings) {
        Map<String, Object> block = new LinkedHashMap<>(settings);
        block.put("type", type);
        this.algorithm = block;
        return this;
    }

    /** Health checks with the {@code tcp} probe every {@code interval}, each allowed the interval. */
    public LbSpec health(Duration interval, int rise, int fall) {
        return health("tcp", interval, interval, rise, fall);
    }

    /** Health checks with probe {@code probe} (a name, or a map with {@code type} and its settings). */
    public LbSpec health(Object probe, Duration interval, Duration timeout, int rise, int fall) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("probe", probe);
        block.put("interval", interval);
        block.put("timeout", timeout);
        block.put("rise", rise);
        block.put("fall", fall);
        this.health = block;
        return this;
    }

    public LbSpec connectTimeout(Duration timeout) {
        return listener("connect-timeout", timeout);
    }

    public LbSpec connectAttempts(int attempts) {
        return listener("connect-attempts", attempts);
    }

    public LbSpec idleTimeout(Duration timeout) {
        return listener("idle-timeout", timeout);
    }

    /** Any other key of the listener, as in a file (e.g. an HTTP listener's retry settings). */
    public LbSpec listener(String key, Object value) {
        listenerKeys.put(key, value);
        return this;
    }

    /** Any other key of the pool, as in a file. */
    public LbSpec pool(String key, Object value) {
        poolKeys.put(key, value);
        return this;
    }

    public LbSpec drainTimeout(Duration timeout) {
        this.drainTimeout = timeout;
        return this;
    }

    /** The configuration as the values a YAML file would hold. */
    public Map<String, Object> toValues() {
        Map<String, Object> listener = new LinkedHashMap<>();
        listener.put("name", LISTENER);
        listener.put("protocol", protocol.name().toLowerCase(Locale.ROOT));
        listener.put("bind", "127.0.0.1:0");
        listener.put("pool", POOL);
        listener.putAll(listenerKeys);
        List<Object> members = new ArrayList<>(external);
        for (int i = 0; i < backends; i++) {
            String name = String.valueOf((char) ('a' + i));
            Map<String, Object> backend = new LinkedHashMap<>();
            backend.put("name", name);
            // A placeholder: the test bed stands a dummy in for it.
            backend.put("address", "127.0.0.1:" + (i + 1));
            if (weights.containsKey(name)) {
                backend.put("weight", weights.get(name));
            }
            members.add(backend);
        }
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("algorithm", algorithm);
        pool.put("backends", members);
        if (health != null) {
            pool.put("health", health);
        }
        pool.putAll(poolKeys);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("listeners", List.of(listener));
        values.put("pools", Map.of(POOL, pool));
        values.put("shutdown", Map.of("drain-timeout", drainTimeout));
        return values;
    }

    @Override
    public String toString() {
        return "LbSpec" + toValues();
    }
}

package dev.lb.bench;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestBackend;
import dev.lb.spi.testkit.TestPickContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one {@link Picker#pick(PickContext)} for each built-in algorithm, at 3, 100 and 1000 eligible
 * backends. Backends have weights 1 to 5 and fixed, varied live figures; each pick uses the next of 1024 HTTP request
 * contexts (distinct client addresses and {@code X-User} headers), so hashing sees many keys.
 *
 * <p>An algorithm parameter is {@code name} or {@code name/variant}, the variant being a preset configuration from
 * {@link #CONFIGS}. Every algorithm that accepts {@code slow-start} also runs as {@code name/slow-start}: a one-hour
 * window with one backend in ten half-way through it, so the ramp is in force throughout the run.
 *
 * <p>Each context carries its time ({@code PickContext.nanoTime()}), a clock reading taken when the contexts are made,
 * as the runtime's carries the time it read when the request arrived: a pick reads it from the context, as in the
 * runtime, and the clock reading itself is the runtime's cost, not the pick's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PickBenchmark {

    /** The variant of every algorithm that accepts {@code slow-start}: one backend in ten is ramping. */
    static final String SLOW_START = "/slow-start";
    /** The algorithms that accept {@code slow-start}, each benchmarked with a ramp in force. */
    static final List<String> SLOW_STARTERS = List.of("weighted-round-robin", "weighted-random", "least-connections",
            "weighted-least-connections", "least-response-time", "peak-ewma", "power-of-two-choices");
    /** Preset configurations by algorithm parameter. */
    static final Map<String, Map<String, String>> CONFIGS = configs();

    @Param({"round-robin", "random", "weighted-round-robin", "weighted-random", "least-connections",
            "weighted-least-connections", "least-response-time", "peak-ewma", "power-of-two-choices",
            "ip-hash/ring", "ip-hash/maglev", "consistent-hash/ring", "consistent-hash/maglev",
            "least-connections/choices-4", "least-response-time/choices-4",
            "weighted-round-robin/slow-start", "weighted-random/slow-start", "least-connections/slow-start",
            "weighted-least-connections/slow-start", "least-response-time/slow-start", "peak-ewma/slow-start",
            "power-of-two-choices/slow-start"})
    public String algorithm;

    @Param({"3", "100", "1000"})
    public int backends;

    private Picker picker;

    private static Map<String, Map<String, String>> configs() {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        configs.put("ip-hash/ring", Map.of("method", "ring"));
        configs.put("ip-hash/maglev", Map.of("method", "maglev"));
        configs.put("consistent-hash/ring", Map.of("method", "ring", "key", "header:X-User"));
        configs.put("consistent-hash/maglev", Map.of("method", "maglev", "key", "header:X-User"));
        for (String name : SLOW_STARTERS) {
            configs.put(name + SLOW_START, Map.of("slow-start", "1h"));
        }
        configs.put("least-connections/choices-4", Map.of("choices", "4"));
        configs.put("least-response-time/choices-4", Map.of("choices", "4"));
        return configs;
    }

    @Setup(Level.Trial)
    public void setUp() {
        picker = newPicker(algorithm, backends, null);
    }

    /**
     * The picker the benchmark times: {@code algorithm} (a parameter value) over a pool of {@code backends} set up as
     * described above. With a {@code loader}, the algorithm is the one that loader itself defines (see {@link PickAb}).
     */
    static Picker newPicker(String algorithm, int backends, ClassLoader loader) {
        String providerName = algorithm.contains("/") ? algorithm.substring(0, algorithm.indexOf('/')) : algorithm;
        ServiceLoader<AlgorithmProvider> providers = loader == null
                ? ServiceLoader.load(AlgorithmProvider.class)
                : ServiceLoader.load(AlgorithmProvider.class, loader);
        AlgorithmProvider provider = providers.stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(providerName))
                .filter(p -> loader == null || p.getClass().getClassLoader() == loader)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no algorithm named " + providerName));
        Random random = new Random(backends);
        List<Backend> pool = new ArrayList<>();
        long now = System.nanoTime();
        boolean slowStart = algorithm.endsWith(SLOW_START);
        for (int i = 0; i < backends; i++) {
            // With slow start, one backend in ten joined half an hour ago: half-way through its ramp during the run.
            long since = now - TimeUnit.MINUTES.toNanos(slowStart && i % 10 == 0 ? 30 : 120);
            long latency = 200_000L + random.nextInt(5_000_000);
            pool.add(new TestBackend("backend-" + i, 1 + random.nextInt(5))
                    .activeConnections(random.nextInt(50))
                    .inFlightRequests(1 + random.nextInt(20))
                    .latencyEwmaNanos(latency)
                    .peakLatencyEwmaNanos(latency + latency / 4)
                    .eligibleSinceNanos(since));
        }
        MapPluginConfig config = MapPluginConfig.at("bench.algorithm", CONFIGS.getOrDefault(algorithm, Map.of()));
        Picker picker = provider.create(config).newPicker(PoolSnapshot.of("bench", pool, pool));
        if (!config.unreadKeys().isEmpty()) {
            throw new IllegalStateException(algorithm + " ignored settings " + config.unreadKeys());
        }
        return picker;
    }

    @Benchmark
    public Backend pick(Contexts contexts) {
        return picker.pick(contexts.next());
    }

    /** A thread's rotation through request contexts. */
    @State(Scope.Thread)
    public static class Contexts {

        private PickContext[] contexts;
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            contexts = all();
        }

        /** The 1024 contexts a thread rotates through, all at the time they are made. */
        static PickContext[] all() {
            long now = System.nanoTime();
            PickContext[] contexts = new PickContext[1024];
            for (int i = 0; i < contexts.length; i++) {
                contexts[i] = context(i, now);
            }
            return contexts;
        }

        /** An HTTP request at {@code nanoTime} with its own client address and {@code X-User} header. */
        private static PickContext context(int n, long nanoTime) {
            byte[] ip = {10, 1, (byte) (n >>> 8), (byte) n};
            try {
                InetSocketAddress client = new InetSocketAddress(InetAddress.getByAddress(ip), 50_000 + n);
                return TestPickContext.builder().clientAddress(client).host("bench.test").path("/api/items/" + n)
                        .header("X-User", "user-" + n).nanoTime(nanoTime).build();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        PickContext next() {
            return contexts[next++ & (contexts.length - 1)];
        }
    }
}

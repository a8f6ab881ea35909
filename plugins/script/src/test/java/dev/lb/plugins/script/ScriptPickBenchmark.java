package dev.lb.plugins.script;

import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.spi.Algorithm;
import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import dev.lb.spi.PoolSnapshot;
import dev.lb.spi.testkit.MapPluginConfig;
import dev.lb.spi.testkit.TestPickContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one pick: the Java {@code round-robin} picker against scripted pickers, all called through
 * {@link Picker#pick}. Run by {@code bench/script-pick.sh}, which puts GraalVM on the module path so the scripts are
 * compiled; {@link #compiling} reports whether they were.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ScriptPickBenchmark {

    private static final String ROUND_ROBIN_JS = "let turn = 0;\n"
            + "export function pick(request, backends) { return turn++ % backends.length; }\n";

    private static final String HEADER_JS = "export function pick(request, backends) {\n"
            + "  return request.headers['x-canary'] === '1' ? 1 : 0;\n}\n";

    private final List<Backend> backends = Scripts.backends("a", "b", "c");
    private final TestPickContext request = Scripts.http("/api/users", Map.of("X-Canary", "0"), Map.of());
    /** The scripts' time budget: the default, 5ms, unless a run asks otherwise. */
    @Param("5ms")
    public String budget;
    /**
     * The scripts' recycle-after: the default, 256MiB, unless a run asks otherwise. At a benchmark's pace (millions of
     * picks a second on one thread) the default recycles a context several times a second.
     */
    @Param("256MiB")
    public String recycleAfter;

    private Path dir;
    private Algorithm javaRoundRobin;
    private ScriptAlgorithm scriptRoundRobin;
    private ScriptAlgorithm scriptCanary;
    private ScriptAlgorithm scriptHeader;
    private Picker headerPicker;
    private Picker javaPicker;
    private Picker scriptPicker;
    private Picker canaryPicker;
    private Policy canaryPolicy;
    private ScriptSettings canarySettings;

    @Setup(Level.Trial)
    public void setUp() throws IOException, PolicyLoadException {
        dir = Files.createTempDirectory("script-bench");
        javaRoundRobin = new RoundRobinProvider().create(MapPluginConfig.of());
        scriptRoundRobin = Scripts.algorithm(Scripts.write(dir, "rr.js", ROUND_ROBIN_JS), "watch", "false",
                "time-budget", budget, "recycle-after", recycleAfter);
        Path canary = Files.copy(Path.of(System.getProperty("lb.scripts", "scripts")).resolve("canary.js"),
                dir.resolve("canary.js"));
        Map<String, String> canaryConfig = Map.of("canary", "b", "percent", "5");
        scriptCanary = Scripts.algorithm(canary, "watch", "false", "time-budget", budget, "config", canaryConfig,
                "recycle-after", recycleAfter);
        canaryPolicy = Policy.read(canary, "canary.js", 1);
        canarySettings = ScriptSettings.read(MapPluginConfig.of("file", canary.toString(), "config", canaryConfig));
        scriptHeader = Scripts.algorithm(Scripts.write(dir, "header.js", HEADER_JS), "watch", "false", "time-budget",
                budget, "recycle-after", recycleAfter);
        PoolSnapshot snapshot = PoolSnapshot.of("bench", backends, backends);
        headerPicker = scriptHeader.newPicker(snapshot);
        javaPicker = javaRoundRobin.newPicker(snapshot);
        scriptPicker = scriptRoundRobin.newPicker(snapshot);
        canaryPicker = scriptCanary.newPicker(snapshot);
        System.out.println("GraalVM compiling: " + Engines.compiling());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.println("script failures: round-robin " + scriptRoundRobin.stats().totalFailures()
                + ", canary " + scriptCanary.stats().totalFailures());
        javaRoundRobin.close();
        scriptRoundRobin.close();
        scriptCanary.close();
        scriptHeader.close();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** Whether GraalVM compiles here; reported once per trial on stdout. */
    public static boolean compiling() {
        return Engines.compiling();
    }

    @Benchmark
    public Backend javaRoundRobin() {
        return javaPicker.pick(request);
    }

    @Benchmark
    public Backend scriptRoundRobin() {
        return scriptPicker.pick(request);
    }

    /** One header read and nothing else: the cost of crossing from JavaScript to the request. */
    @Benchmark
    public Backend scriptHeaderOnly() {
        return headerPicker.pick(request);
    }

    @Benchmark
    public Backend scriptCanaryByHeader() {
        return canaryPicker.pick(request);
    }

    /**
     * What a reload or a recycle costs the thread that builds a context: {@code canary.js} evaluated in a new context
     * on the shared engine, its init run, and the context closed.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void buildContext() throws PolicyLoadException {
        PolicyContext.open(canaryPolicy, canarySettings).close();
    }
}

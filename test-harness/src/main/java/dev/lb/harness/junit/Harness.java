package dev.lb.harness.junit;

import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.plugin.PluginDiscovery;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What {@link LbExtension} gives a test method: starts load balancers in front of dummy backends behind fault
 * proxies, every one of them closed after the test whatever its outcome.
 *
 * <pre>{@code
 * @LoadBalancerTest
 * class FailoverTest {
 *     @Test
 *     void failsOver(Harness harness) throws Exception {
 *         TestBed bed = harness.start(LbSpec.tcp().backends(3).health(Duration.ofMillis(100), 2, 2));
 *         bed.backend("b").link().down();
 *         bed.events().await(EventType.BACKEND_DOWN, "b", Duration.ofSeconds(10));
 *     }
 * }
 * }</pre>
 */
public final class Harness {

    private final Supplier<ToxiproxyServer> toxiproxy;
    private final UnaryOperator<TestBed.Options> defaults;
    private final List<TestBed> started = new ArrayList<>();

    Harness(Supplier<ToxiproxyServer> toxiproxy, UnaryOperator<TestBed.Options> defaults) {
        this.toxiproxy = toxiproxy;
        this.defaults = defaults;
    }

    /** Starts a balancer for {@code spec}, its backends behind fault proxies, plugins found on the class path. */
    public TestBed start(LbSpec spec) throws ConfigException {
        return start(spec, UnaryOperator.identity());
    }

    /** Like {@link #start(LbSpec)}, with options changed by {@code options} (e.g. {@code o -> o.workerThreads(1)}). */
    public TestBed start(LbSpec spec, UnaryOperator<TestBed.Options> options) throws ConfigException {
        return remember(TestBed.start(spec, catalog(null), options.apply(defaults.apply(
                TestBed.Options.behind(toxiproxy.get())))));
    }

    /** Starts a balancer without fault proxies; see {@link #startDirect(LbSpec, UnaryOperator)}. */
    public TestBed startDirect(LbSpec spec) throws ConfigException {
        return startDirect(spec, UnaryOperator.identity());
    }

    /**
     * Starts a balancer without fault proxies: the backends are reached directly (for tests of the data plane where
     * a proxy in between would change what is measured).
     */
    public TestBed startDirect(LbSpec spec, UnaryOperator<TestBed.Options> options) throws ConfigException {
        return remember(TestBed.start(spec, catalog(null), options.apply(defaults.apply(TestBed.Options.direct()))));
    }

    /**
     * Starts the configuration file {@code file} with dummy backends standing in for its backends (see
     * {@link TestBed}); plugins from the class path and the file's plugins directory.
     */
    public TestBed start(Path file) throws ConfigException {
        var parsed = new ConfigLoader().parse(file);
        return remember(TestBed.start(parsed, catalog(parsed.pluginsDir().filter(Files::isDirectory).orElse(null)),
                defaults.apply(TestBed.Options.behind(toxiproxy.get()))));
    }

    /** The Toxiproxy server shared by the tests of this run (started on first use). */
    public ToxiproxyServer toxiproxy() {
        return toxiproxy.get();
    }

    /** The balancers started so far in this test. */
    public List<TestBed> started() {
        return List.copyOf(started);
    }

    private TestBed remember(TestBed bed) {
        synchronized (started) {
            started.add(bed);
        }
        return bed;
    }

    private static PluginCatalog catalog(Path pluginsDir) {
        try {
            return PluginDiscovery.forRuntime().discover(java.util.Optional.ofNullable(pluginsDir));
        } catch (PluginDiscoveryException e) {
            throw new IllegalStateException("cannot load the plugins: " + e.getMessage(), e);
        }
    }

    /** Closes every balancer started, newest first; the first failure is thrown with the others attached. */
    void closeAll() {
        RuntimeException failure = null;
        List<TestBed> beds;
        synchronized (started) {
            beds = new ArrayList<>(started);
            started.clear();
        }
        for (int i = beds.size() - 1; i >= 0; i--) {
            try {
                beds.get(i).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

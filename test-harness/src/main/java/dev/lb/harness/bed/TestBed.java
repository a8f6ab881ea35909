package dev.lb.harness.bed;

import com.google.inject.Module;
import dev.lb.harness.backend.DummyBackend;
import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.toxiproxy.FaultProxy;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.ParsedConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.TransportKind;
import dev.lb.spi.PluginKind;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A running load balancer in front of dummy backends, each behind its own Toxiproxy {@link FaultProxy}: what a test or
 * a fault scenario drives.
 *
 * <p>It is made from a configuration, a user's file or one built by {@link LbSpec}, by standing dummies in for the
 * backends: every backend of every pool is replaced by a {@link DummyTcpBackend} (pools behind TCP listeners) or a
 * {@link DummyHttpBackend} (pools behind an HTTP listener) of the same name, reached through a fault proxy; every
 * listener binds a free port of 127.0.0.1; the configured notifiers are replaced by an {@link EventRecorder}. Every
 * other setting (algorithms, weights, health checks, timeouts, retries, plugins) is kept, and the rewritten
 * configuration is loaded by {@link ConfigLoader} as a file would be.
 *
 * <p>{@link #close()} stops the balancer, the proxies and the dummies, even when some of them fail to stop.
 */
public final class TestBed implements AutoCloseable {

    private final LbConfig config;
    private final EventRecorder events;
    private final List<TestBackend> backends;
    private final List<AutoCloseable> owned;
    private LoadBalancer lb;

    private TestBed(LbConfig config, EventRecorder events, List<TestBackend> backends, List<AutoCloseable> owned) {
        this.config = config;
        this.events = events;
        this.backends = backends;
        this.owned = owned;
    }

    /** Starts a bed for {@code spec}. */
    public static TestBed start(LbSpec spec, PluginCatalog catalog, Options options) throws ConfigException {
        return start(new ParsedConfig(null, Path.of("").toAbsolutePath(), ConfigMap.of("", spec.toValues())), catalog,
                options.keep(spec.externalBackends()));
    }

    /**
     * Starts a bed for a configuration read by {@link ConfigLoader#parse}: checks it as it is (problems located in the
     * file), then stands dummies in for its backends and starts it.
     *
     * @param catalog the plugins the configuration may name
     * @throws ConfigException when the configuration is wrong
     */
    public static TestBed start(ParsedConfig parsed, PluginCatalog catalog, Options options) throws ConfigException {
        LbConfig original = new ConfigLoader().load(parsed, catalog);
        Map<String, Object> values = ConfigValues.root(parsed.root());
        EventRecorder recorder = new EventRecorder();
        List<AutoCloseable> owned = new ArrayList<>();
        List<Standing> standing = new ArrayList<>();
        try {
            for (PoolConfig pool : original.pools().values()) {
                Protocol protocol = protocolOf(original, pool.name());
                for (BackendConfig backend : pool.backends()) {
                    if (options.keep.contains(backend.name())) {
                        continue;
                    }
                    DummyBackend server = protocol == Protocol.HTTP ? DummyHttpBackend.start(backend.name())
                            : DummyTcpBackend.start(backend.name());
                    owned.add(server);
                    FaultProxy link = null;
                    if (options.toxiproxy != null) {
                        link = options.toxiproxy.proxy(proxyName(pool.name(), backend.name()), server.address());
                        owned.add(link);
                    }
                    standing.add(new Standing(pool.name(), backend.name(), server, link));
                }
            }
            StandIn.rewrite(values, standing.stream().collect(java.util.stream.Collectors.toMap(
                    s -> s.pool + "\u0000" + s.name, s -> s.link != null ? s.link.address() : s.server.address())),
                    options.keep);
            PluginCatalog withRecorder = PluginCatalog.of(Stream.concat(catalog.all().stream(),
                    Stream.of(new LoadedPlugin(PluginKind.NOTIFIER, recorder.provider(), "lb test harness"))).toList());
            LbConfig config = new ConfigLoader().fromValues(values, parsed.baseDir(), withRecorder);
            List<TestBackend> backends = new ArrayList<>();
            TestBed bed = new TestBed(config, recorder, backends, owned);
            standing.forEach(s -> backends.add(new TestBackend(bed, s.pool, s.name, s.server, s.link)));
            LoadBalancer.Builder builder = LoadBalancer.builder(config, withRecorder)
                    .workerThreads(options.workerThreads).notifierBackoff(Duration.ofMillis(50));
            if (options.transport != null) {
                builder.transport(options.transport);
            }
            options.modules.forEach(builder::addModule);
            bed.lb = builder.build();
            try {
                bed.lb.start();
            } catch (RuntimeException e) {
                bed.lb.close(Duration.ZERO);
                throw e;
            }
            return bed;
        } catch (ConfigException | RuntimeException e) {
            closeAll(owned, e);
            throw e;
        }
    }

    /** The protocol of the listeners that send traffic to {@code pool}: HTTP when any of them speaks it. */
    static Protocol protocolOf(LbConfig config, String pool) {
        return config.listeners().stream().filter(l -> l.pool().equals(pool)).map(ListenerConfig::protocol)
                .anyMatch(p -> p == Protocol.HTTP) ? Protocol.HTTP : Protocol.TCP;
    }

    private static String proxyName(String pool, String backend) {
        return "lb-" + pool.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + backend.replaceAll("[^A-Za-z0-9_.-]", "_")
                + "-" + Long.toHexString(System.nanoTime());
    }

    /** The running load balancer. */
    public LoadBalancer lb() {
        return lb;
    }

    /** The configuration it runs: the rewritten one, with the fault proxies' addresses. */
    public LbConfig config() {
        return config;
    }

    /** The events the load balancer notified. */
    public EventRecorder events() {
        return events;
    }

    /** Every stood-in backend, pools in configuration order, backends in pool order. */
    public List<TestBackend> backends() {
        return List.copyOf(backends);
    }

    /** The stood-in backends of {@code pool}. */
    public List<TestBackend> backends(String pool) {
        return backends.stream().filter(b -> b.pool().equals(pool)).toList();
    }

    /**
     * The backend named {@code name} (in any pool; the first one found).
     *
     * @throws IllegalArgumentException when there is none
     */
    public TestBackend backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no backend named \"" + name + "\" (backends: "
                        + backends.stream().map(TestBackend::name).toList() + ")"));
    }

    /** The first listener's configuration. */
    public ListenerConfig listener() {
        return config.listeners().getFirst();
    }

    /** Where the first listener accepts clients. */
    public InetSocketAddress address() {
        return lb.boundAddress(listener().name());
    }

    /** Where listener {@code name} accepts clients. */
    public InetSocketAddress address(String listener) {
        return lb.boundAddress(listener);
    }

    /** The pool of the first listener. */
    public Pool pool() {
        return lb.pool(listener().pool());
    }

    /** Stops the balancer (open connections get a second to finish), then the proxies and the dummies. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            if (lb != null) {
                lb.close(Duration.ofSeconds(1));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        closeAll(owned, failure);
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeAll(List<AutoCloseable> owned, Throwable primary) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TestBed[" + config.listeners().stream().map(l -> l.name() + " " + l.protocol()).toList() + ", "
                + backends + "]";
    }

    private record Standing(String pool, String name, DummyBackend server, FaultProxy link) {}

    /** How a bed is made. Immutable; each method returns a copy. */
    public record Options(ToxiproxyServer toxiproxy, int workerThreads, TransportKind transport, List<Module> modules,
            Set<String> keep) {

        public Options {
            Objects.requireNonNull(modules, "modules");
            modules = List.copyOf(modules);
            keep = Set.copyOf(keep);
        }

        /**
         * Backends behind fault proxies of {@code toxiproxy}; two event-loop threads; the transport the balancer
         * chooses by default ({@link TransportKind#configured()}).
         */
        public static Options behind(ToxiproxyServer toxiproxy) {
            return new Options(Objects.requireNonNull(toxiproxy, "toxiproxy"), 2, null, List.of(), Set.of());
        }

        /** Backends reached directly, without fault proxies (for tests of the data plane itself). */
        public static Options direct() {
            return new Options(null, 2, null, List.of(), Set.of());
        }

        public Options workerThreads(int threads) {
            return new Options(toxiproxy, threads, transport, modules, keep);
        }

        /** The balancer's event loops do their I/O with {@code kind}. */
        public Options transport(TransportKind kind) {
            return new Options(toxiproxy, workerThreads, Objects.requireNonNull(kind, "kind"), modules, keep);
        }

        /** Adds a Guice module to the balancer (see {@link LoadBalancer.Builder#addModule}). */
        public Options module(Module module) {
            List<Module> all = new ArrayList<>(modules);
            all.add(module);
            return new Options(toxiproxy, workerThreads, transport, all, keep);
        }

        /** Leaves the backends named {@code names} as configured (no dummy stands in for them). */
        public Options keep(Set<String> names) {
            Set<String> all = new java.util.HashSet<>(keep);
            all.addAll(names);
            return new Options(toxiproxy, workerThreads, transport, modules, all);
        }
    }
}

package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.Durations;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.health.HealthChecker;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.logging.LogLevels;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.reload.ConfigDiff;
import dev.lb.spi.Algorithm;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.PluginInstantiator;
import dev.lb.runtime.health.HealthService;
import dev.lb.runtime.notify.NotificationDispatcher;
import dev.lb.runtime.notify.NotifierStats;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.pool.Pools;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.ListenerBindException;
import dev.lb.runtime.transport.Transport;
import dev.lb.runtime.transport.TransportKind;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load balancer server built from one {@link LbConfig}: its pools, health checkers, notifiers and listeners, wired
 * with Guice.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder(config, catalog).build();
 * lb.start();                       // binds every listener
 * lb.installShutdownHook();         // SIGTERM -> graceful close
 * InetSocketAddress web = lb.boundAddress("web");
 * ...
 * lb.close(Duration.ofSeconds(30)); // stop accepting, drain, stop
 * }</pre>
 *
 * <p>Listeners are made per protocol by {@link ListenerFactory}s; TCP is built in, and another protocol is added by
 * a module given to {@link Builder#addModule(Module)} (see {@link #listenerFactories(Binder)}).
 */
public final class LoadBalancer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadBalancer.class);

    private volatile LbConfig config;
    private final Transport transport;
    private final NotificationDispatcher notifications;
    private final Pools pools;
    private final HealthService health;
    private final LbMetrics metrics;
    private final AccessLog accessLog;
    private final PluginFactory plugins;
    private final ListenerFactories listenerFactories;
    // Replaced by reloads (under reloadLock); iterated without a lock.
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ListenerConfig> listenerConfigs = new ConcurrentHashMap<>();
    private final Object reloadLock = new Object();
    private final ExecutorService drainer = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Thread shutdownHook;

    private LoadBalancer(LbConfig config, Injector injector) {
        this.config = config;
        // Resolved one by one so that a failure closes what was already made (notifier threads, the scheduler).
        List<AutoCloseable> made = new ArrayList<>();
        try {
            this.notifications = remember(made, injector.getInstance(NotificationDispatcher.class));
            this.pools = remember(made, injector.getInstance(Pools.class));
            this.health = remember(made, injector.getInstance(HealthService.class));
            this.transport = remember(made, injector.getInstance(Transport.class));
            this.metrics = injector.getInstance(LbMetrics.class);
            this.accessLog = injector.getInstance(AccessLog.class);
            this.plugins = injector.getInstance(PluginFactory.class);
            this.listenerFactories = injector.getInstance(ListenerFactories.class);
            this.listeners.addAll(injector.getInstance(Key.get(new TypeLiteral<List<Listener>>() { })));
            config.listeners().forEach(l -> listenerConfigs.put(l.name(), l));
            metrics.bindNotifiers(notifications::stats);
        } catch (ProvisionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
            closeInReverse(made, cause);
            throw cause;
        } catch (RuntimeException e) {
            closeInReverse(made, e);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T remember(List<AutoCloseable> made, T closeable) {
        made.add(closeable);
        return closeable;
    }

    private static void closeInReverse(List<AutoCloseable> made, Throwable primary) {
        for (int i = made.size() - 1; i >= 0; i--) {
            Closeables.closeQuietly(made.get(i), primary);
        }
    }

    /** Starts building a server for {@code config}, creating its plugins from {@code catalog}. */
    public static Builder builder(LbConfig config, PluginCatalog catalog) {
        return new Builder(config, new PluginFactory(new PluginInstantiator(catalog)));
    }

    /**
     * The map of listener factories by protocol, for a module passed to {@link Builder#addModule(Module)} that adds a
     * protocol: {@code LoadBalancer.listenerFactories(binder()).addBinding(Protocol.HTTP).toInstance(factory)}.
     */
    public static MapBinder<Protocol, ListenerFactory> listenerFactories(Binder binder) {
        return ListenersModule.listenerFactories(binder);
    }

    /**
     * Applies the configured log levels, publishes the metrics over JMX (domain {@code lb}), starts health checking
     * and binds every listener, in configuration order.
     *
     * @throws ListenerBindException when a listener cannot bind; everything started is stopped again
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the load balancer is already started");
        }
        LogLevels.apply(config.logging().levels());
        metrics.startJmx();
        health.start();
        try {
            for (Listener listener : listeners) {
                listener.start();
            }
        } catch (RuntimeException e) {
            close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * The address listener {@code name} is bound to (the real port when port 0 was configured).
     *
     * @throws IllegalArgumentException when there is no such listener
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress boundAddress(String name) {
        return listener(name).boundAddress();
    }

    /** Every listener's bound address, by name, in configuration order. */
    public Map<String, InetSocketAddress> boundAddresses() {
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        listeners.forEach(l -> addresses.put(l.name(), l.boundAddress()));
        return addresses;
    }

    /**
     * The listener named {@code name}, for what only it can tell (an HTTP listener's backend connection pools).
     *
     * @throws IllegalArgumentException when there is no such listener
     */
    public Listener listener(String name) {
        return listeners.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener named \"" + name + "\" (listeners: "
                        + String.join(", ", listeners.stream().map(Listener::name).toList()) + ")"));
    }

    /**
     * The pool named {@code name}, with its backends' health and live figures.
     *
     * @throws IllegalArgumentException when there is no such pool
     */
    public Pool pool(String name) {
        return pools.get(name);
    }

    /** Every pool, in configuration order. */
    public Collection<Pool> pools() {
        return pools.all();
    }

    /** The configuration now in force (the last one applied by {@link #reload(LbConfig)}). */
    public LbConfig config() {
        return config;
    }

    /** The access log the listeners write to. */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** The server's metrics. */
    public LbMetrics metrics() {
        return metrics;
    }

    /** The listeners now running, in configuration order, with their settings. */
    public List<ListenerStatus> listenerStatus() {
        List<ListenerStatus> status = new ArrayList<>();
        for (Listener listener : listeners) {
            ListenerConfig settings = listenerConfigs.get(listener.name());
            if (settings != null) {
                status.add(new ListenerStatus(settings, listener.boundAddress(), listener.openConnections()));
            }
        }
        return status;
    }

    /**
     * One running listener as the admin API shows it.
     *
     * @param config its settings
     * @param boundAddress the address it is bound to
     * @param openConnections client connections open now
     */
    public record ListenerStatus(ListenerConfig config, InetSocketAddress boundAddress, int openConnections) {
    }

    /**
     * Applies {@code next}, an already validated configuration, as a difference from the running one (see
     * {@link ConfigDiff}): unchanged listeners keep their sockets and connections; listeners that changed are
     * re-bound; new ones start; removed ones stop accepting and their connections drain (for up to the drain timeout)
     * in the background. Changed pools swap their backends and picker in place, keeping the state of backends whose
     * identity did not change; removed backends take no new traffic and their connections finish. What can only be
     * changed by a restart is listed in the result and left as it was.
     *
     * <p>Plugins and new listeners are made first: if one fails, nothing has changed and the error is thrown.
     *
     * @throws ConfigException when a plugin refuses its configuration
     * @throws ListenerBindException when a new listener cannot bind; nothing has changed
     * @throws IllegalStateException when the backends of a pool change and a listener serving it cannot follow
     *     (see {@link Listener#followsPoolMembership()}), or the server is closed; nothing has changed
     */
    public ConfigDiff reload(LbConfig next) throws ConfigException {
        Objects.requireNonNull(next, "next");
        synchronized (reloadLock) {
            if (closed.get()) {
                throw new IllegalStateException("the load balancer is closed");
            }
            LbConfig running = config;
            ConfigDiff diff = ConfigDiff.between(running, next);
            refuseMembershipChangesListenersCannotFollow(running, next, diff);
            Map<String, Pool> addedPools = new LinkedHashMap<>();
            Map<String, Algorithm> newAlgorithms = new LinkedHashMap<>();
            List<Listener> started = new ArrayList<>();
            Map<String, Listener> moved = new LinkedHashMap<>();
            Map<String, HealthChecker> newCheckers = new LinkedHashMap<>();
            try {
                for (String name : diff.poolsAdded()) {
                    addedPools.put(name, PoolsModule.newPool(next.pools().get(name), plugins, notifications, metrics));
                }
                for (String name : diff.poolsChanged()) {
                    PoolConfig before = running.pools().get(name);
                    PoolConfig after = next.pools().get(name);
                    if (!ConfigDiff.samePlugin(before.algorithm(), after.algorithm())) {
                        newAlgorithms.put(name, plugins.algorithm(after.algorithm()));
                    }
                }
                // Brand-new listeners bind before anything changes, so a port in use refuses the whole reload.
                for (String name : diff.listenersAdded()) {
                    ListenerConfig listener = find(next, name);
                    Pool pool = addedPools.containsKey(listener.pool()) ? addedPools.get(listener.pool())
                            : pools.get(listener.pool());
                    Listener made = newListener(listener, pool);
                    made.start();
                    started.add(made);
                }
                // So do changed listeners that move to another address; one that keeps its address re-binds it below.
                for (String name : diff.listenersChanged()) {
                    ListenerConfig settings = find(next, name);
                    if (!settings.bind().equals(listenerConfigs.get(name).bind())) {
                        Pool pool = addedPools.containsKey(settings.pool()) ? addedPools.get(settings.pool())
                                : pools.get(settings.pool());
                        Listener made = newListener(settings, pool);
                        made.start();
                        moved.put(name, made);
                    }
                }
            } catch (RuntimeException e) {
                started.forEach(Listener::stopAccepting);
                moved.values().forEach(Listener::stopAccepting);
                addedPools.values().forEach(p -> Closeables.closeQuietly(p, e));
                newAlgorithms.values().forEach(a -> Closeables.closeQuietly(a, e));
                if (e instanceof PluginFactory.PluginCreationFailure failure) {
                    throw failure.problems();
                }
                throw e;
            }
            // From here on the reload is committed.
            addedPools.values().forEach(pools::put);
            for (String name : diff.poolsChanged()) {
                reconfigurePool(pools.get(name), running.pools().get(name), next.pools().get(name),
                        newAlgorithms.get(name), newCheckers);
            }
            for (String name : diff.poolsAdded()) {
                HealthConfig check = next.pools().get(name).health();
                if (check != null) {
                    newCheckers.put(name, PoolsModule.newChecker(pools.get(name), check, plugins,
                            health.scheduler()));
                }
                if (next.pools().get(name).outlierDetection() != null) {
                    Pool added = pools.get(name);
                    health.replaceDetector(name, PoolsModule.newDetector(added,
                            next.pools().get(name).outlierDetection(), health.scheduler()), added);
                }
            }
            newCheckers.forEach(health::replace);
            for (String name : diff.poolsChanged()) { // added pools were bound when made
                metrics.bindPool(pools.get(name), next.pools().get(name).algorithm().type());
            }
            List<Listener> retired = new ArrayList<>();
            for (String name : diff.listenersRemoved()) {
                Listener old = listener(name);
                old.stopAccepting();
                retired.add(old);
                listeners.remove(old);
                listenerConfigs.remove(name);
            }
            for (String name : diff.listenersChanged()) {
                Listener old = listener(name);
                old.stopAccepting();
                retired.add(old);
                ListenerConfig settings = find(next, name);
                Listener replacement = moved.get(name);
                if (replacement == null) {
                    replacement = newListener(settings, pools.get(settings.pool()));
                    try {
                        replacement.start(); // the address the old one just released
                    } catch (RuntimeException e) {
                        log.error("listener {}: could not re-bind {} after the reload, it is stopped: {}", name,
                                settings.bind(), e.getMessage());
                        listeners.remove(old);
                        listenerConfigs.remove(name);
                        continue;
                    }
                }
                listeners.set(listeners.indexOf(old), replacement);
                listenerConfigs.put(name, settings);
            }
            for (Listener made : started) {
                listeners.add(made);
                listenerConfigs.put(made.name(), find(next, made.name()));
            }
            List<Pool> removedPools = new ArrayList<>();
            for (String name : diff.poolsRemoved()) {
                removedPools.add(pools.get(name));
                health.replace(name, null);
                health.removeDetector(name);
                pools.remove(name);
            }
            config = withRunningSettings(next, running, diff);
            accessLog.format(next.logging().accessLogPattern());
            LogLevels.apply(next.logging().levels());
            drainInBackground(retired, removedPools, diff);
            log.info("configuration reloaded: listeners +{} -{} ~{} ={}; pools +{} -{} ~{} ={}{}",
                    diff.listenersAdded(), diff.listenersRemoved(), diff.listenersChanged(),
                    diff.listenersUnchanged(), diff.poolsAdded(), diff.poolsRemoved(), diff.poolsChanged(),
                    diff.poolsUnchanged(), diff.restartRequired().isEmpty() ? ""
                            : "; needs a restart to apply: " + String.join(", ", diff.restartRequired()));
            return diff;
        }
    }

    private void refuseMembershipChangesListenersCannotFollow(LbConfig running, LbConfig next, ConfigDiff diff) {
        for (String name : diff.poolsChanged()) {
            if (running.pools().get(name).backends().equals(next.pools().get(name).backends())) {
                continue;
            }
            for (Listener listener : listeners) {
                ListenerConfig settings = listenerConfigs.get(listener.name());
                if (settings != null && settings.pool().equals(name) && !listener.followsPoolMembership()) {
                    throw new IllegalStateException("cannot reload: the backends of pool " + name + " changed, and"
                            + " listener " + listener.name() + " (" + settings.protocol().name().toLowerCase(
                                    java.util.Locale.ROOT) + ") fixes its per-backend state when it starts, so it"
                            + " cannot follow; restart to apply this change (its algorithm and health settings"
                            + " can be reloaded)");
                }
            }
        }
    }

    private void reconfigurePool(Pool pool, PoolConfig before, PoolConfig after, Algorithm newAlgorithm,
            Map<String, HealthChecker> newCheckers) {
        List<BackendState> members = new ArrayList<>();
        for (BackendConfig backend : after.backends()) {
            Optional<BackendState> kept = before.backends().stream()
                    .filter(b -> ConfigDiff.sameBackend(b, backend)).findFirst()
                    .flatMap(b -> pool.backend(b.name()));
            members.add(kept.orElseGet(() -> new BackendState(backend)));
        }
        boolean membersChanged = !before.backends().equals(after.backends());
        pool.reconfigure(members, newAlgorithm != null ? newAlgorithm : pool.algorithm());
        if (membersChanged) {
            for (Listener listener : listeners) {
                ListenerConfig settings = listenerConfigs.get(listener.name());
                if (settings != null && settings.pool().equals(pool.name())) {
                    listener.poolMembersChanged();
                }
            }
        }
        if (membersChanged || !ConfigDiff.sameHealth(before.health(), after.health())) {
            newCheckers.put(pool.name(), after.health() == null ? null : PoolsModule.newChecker(pool,
                    after.health(), plugins, health.scheduler()));
        }
        if (!java.util.Objects.equals(before.outlierDetection(), after.outlierDetection())) {
            // New thresholds: a fresh detector; the old one lets the backends it ejected back.
            health.replaceDetector(pool.name(), after.outlierDetection() == null ? null
                    : PoolsModule.newDetector(pool, after.outlierDetection(), health.scheduler()), pool);
        } else if (membersChanged && health.detector(pool.name()) != null) {
            health.detector(pool.name()).follow();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** {@code next}, except for what only a restart applies, which stays as {@code running} has it. */
    private static LbConfig withRunningSettings(LbConfig next, LbConfig running, ConfigDiff diff) {
        return new LbConfig(next.source(), next.listeners(), next.pools(), running.notifiers(), running.pluginsDir(),
                running.drainTimeout(), running.admin(), next.logging());
    }

    private Listener newListener(ListenerConfig settings, Pool pool) {
        return listenerFactories.create(settings, pool, transport);
    }

    private static ListenerConfig find(LbConfig config, String name) {
        return config.listeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    /** Lets retired listeners' connections finish (closing what is left after the drain timeout), then closes pools. */
    private void drainInBackground(List<Listener> retired, List<Pool> removedPools, ConfigDiff diff) {
        if (retired.isEmpty() && removedPools.isEmpty()) {
            return;
        }
        Duration drain = drainTimeout();
        drainer.execute(() -> {
            for (Listener listener : retired) {
                try {
                    if (!listener.awaitConnectionsClosed(drain)) {
                        log.warn("listener {}: closing {} connection(s) still open {} after the reload",
                                listener.name(), listener.openConnections(), drain);
                        listener.closeConnections();
                    }
                } catch (InterruptedException e) {
                    listener.closeConnections();
                    Thread.currentThread().interrupt();
                }
            }
            for (Pool pool : removedPools) {
                pool.close();
                if (!pools.contains(pool.name())) {
                    metrics.unbindPool(pool.name());
                }
            }
            for (String name : diff.listenersRemoved()) {
                if (!listenerConfigs.containsKey(name)) {
                    metrics.unbindListener(name);
                }
            }
        });
    }

    /** Client connections open across all listeners. */
    public int openConnections() {
        return listeners.stream().mapToInt(Listener::openConnections).sum();
    }

    /** Per-notifier delivery figures. */
    public List<NotifierStats> notifierStats() {
        return notifications.stats();
    }

    /** How the event loops do I/O. */
    public TransportKind transport() {
        return transport.kind();
    }

    /** Bytes held by the data plane's pooled buffer allocator (direct plus heap). */
    public long bufferMemoryUsed() {
        return transport.usedMemory();
    }

    /**
     * Registers a JVM shutdown hook (run on SIGTERM and SIGINT) that closes the server gracefully with the
     * configuration's drain timeout. Closing the server otherwise removes the hook.
     *
     * @return the hook's thread
     */
    public synchronized Thread installShutdownHook() {
        if (shutdownHook == null) {
            Duration drain = drainTimeout();
            Thread hook = new Thread(() -> close(drain), "lb-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        }
        return shutdownHook;
    }

    private Duration drainTimeout() {
        return config.drainTimeout() != null ? config.drainTimeout() : Duration.ofSeconds(30);
    }

    /** Closes gracefully with the configuration's drain timeout (30s when unset). */
    @Override
    public void close() {
        close(drainTimeout());
    }

    /**
     * Graceful shutdown: stop accepting on every listener, let open connections finish for up to {@code drain}, close
     * those left, then stop health checks, notifiers (after a short drain of their queues), algorithms and the event
     * loops. Idempotent.
     *
     * @return whether every connection finished within {@code drain}
     */
    public boolean close(Duration drain) {
        Objects.requireNonNull(drain, "drain");
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        removeShutdownHook();
        listeners.forEach(Listener::stopAccepting);
        log.info("stopping: no longer accepting; waiting up to {} for {} open connection(s)",
                drain.toNanos() % 1_000_000 == 0 ? Durations.format(drain) : drain, openConnections());
        boolean drained = awaitDrain(drain);
        if (!drained) {
            log.warn("closing {} connection(s) still open after the drain timeout of {}", openConnections(), drain);
            listeners.forEach(Listener::closeConnections);
        }
        health.close();
        drainer.shutdownNow();
        notifications.close(Duration.ofSeconds(2));
        pools.close();
        transport.close(Duration.ofSeconds(2));
        metrics.close();
        log.info("load balancer stopped");
        return drained;
    }

    private boolean awaitDrain(Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            for (Listener listener : listeners) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!listener.awaitConnectionsClosed(Duration.ofNanos(left))) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook is running or done.
            }
        }
    }

    /** Builds a {@link LoadBalancer}; plugins are instantiated by {@link #build()}, nothing is bound until start. */
    public static final class Builder {

        private final LbConfig config;
        private final PluginFactory plugins;
        private final List<Module> modules = new ArrayList<>();
        private int workerThreads;
        private TransportKind transport;
        private Duration notifierBackoff = NotificationDispatcher.DEFAULT_INITIAL_BACKOFF;
        private LbMetrics metrics;

        private Builder(LbConfig config, PluginFactory plugins) {
            this.config = Objects.requireNonNull(config, "config");
            this.plugins = Objects.requireNonNull(plugins, "plugins");
        }

        /** Event-loop threads for connections; 0 (the default) for one per core. */
        public Builder workerThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("workerThreads must be 0 (one per core) or more, was " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /**
         * How the event loops do I/O. By default the kind the {@value TransportKind#PROPERTY} system property names,
         * else the first of io_uring, epoll and NIO this machine allows ({@link TransportKind#configured()}).
         */
        public Builder transport(TransportKind kind) {
            this.transport = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** The wait before a notifier's first retry (doubling after); 200ms by default. */
        public Builder notifierBackoff(Duration backoff) {
            this.notifierBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The metrics to record into; by default a new {@link LbMetrics} on its own registry. */
        public Builder metrics(LbMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Adds a Guice module, e.g. one binding a {@link ListenerFactory} for another protocol. */
        public Builder addModule(Module module) {
            modules.add(Objects.requireNonNull(module, "module"));
            return this;
        }

        /**
         * Instantiates every plugin and wires the server.
         *
         * @throws IllegalStateException when this machine does not allow the chosen {@link TransportKind}
         * @throws ConfigException when a plugin refuses its configuration (reported with its location); nothing is
         *     left running
         */
        public LoadBalancer build() throws ConfigException {
            TransportKind io = (transport != null ? transport : TransportKind.configured()).requireAvailable();
            List<Module> all = new ArrayList<>();
            all.add(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(LbConfig.class).toInstance(config);
                    bind(PluginFactory.class).toInstance(plugins);
                }
            });
            all.add(new TransportModule(workerThreads, io));
            all.add(new MetricsModule(metrics != null ? metrics : new LbMetrics()));
            all.add(new NotificationModule(notifierBackoff));
            all.add(new PoolsModule());
            all.add(new ListenersModule());
            all.addAll(modules);
            try {
                return new LoadBalancer(config, Guice.createInjector(all));
            } catch (PluginFactory.PluginCreationFailure e) {
                throw e.problems();
            }
        }
    }
}

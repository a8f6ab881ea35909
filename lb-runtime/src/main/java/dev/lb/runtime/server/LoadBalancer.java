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
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.Durations;
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

    private final LbConfig config;
    private final Transport transport;
    private final NotificationDispatcher notifications;
    private final Pools pools;
    private final HealthService health;
    private final List<Listener> listeners;
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
            this.listeners = injector.getInstance(Key.get(new TypeLiteral<List<Listener>>() { }));
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
     * Starts health checking and binds every listener, in configuration order.
     *
     * @throws ListenerBindException when a listener cannot bind; everything started is stopped again
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the load balancer is already started");
        }
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

    private Listener listener(String name) {
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

    /** Client connections open across all listeners. */
    public int openConnections() {
        return listeners.stream().mapToInt(Listener::openConnections).sum();
    }

    /** Per-notifier delivery figures. */
    public List<NotifierStats> notifierStats() {
        return notifications.stats();
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
        notifications.close(Duration.ofSeconds(2));
        pools.close();
        transport.close(Duration.ofSeconds(2));
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
        private boolean nativeTransport = true;
        private Duration notifierBackoff = NotificationDispatcher.DEFAULT_INITIAL_BACKOFF;

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

        /** Whether to use native epoll when available (the default); false forces Java NIO. */
        public Builder nativeTransport(boolean enabled) {
            this.nativeTransport = enabled;
            return this;
        }

        /** The wait before a notifier's first retry (doubling after); 200ms by default. */
        public Builder notifierBackoff(Duration backoff) {
            this.notifierBackoff = Objects.requireNonNull(backoff, "backoff");
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
         * @throws ConfigException when a plugin refuses its configuration (reported with its location); nothing is
         *     left running
         */
        public LoadBalancer build() throws ConfigException {
            List<Module> all = new ArrayList<>();
            all.add(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(LbConfig.class).toInstance(config);
                    bind(PluginFactory.class).toInstance(plugins);
                }
            });
            all.add(new TransportModule(workerThreads, nativeTransport));
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

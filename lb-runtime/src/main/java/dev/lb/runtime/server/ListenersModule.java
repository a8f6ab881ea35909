package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.pool.Pools;
import jakarta.inject.Inject;
import dev.lb.runtime.tcp.TcpListener;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.Transport;
import dev.lb.spi.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The listeners, each made by the {@link ListenerFactory} bound for its protocol. */
final class ListenersModule extends AbstractModule {

    /**
     * The map of listener factories by protocol; another module adds a protocol with
     * {@code listenerFactories(binder()).addBinding(Protocol.HTTP).toInstance(...)}.
     */
    static MapBinder<Protocol, ListenerFactory> listenerFactories(Binder binder) {
        return MapBinder.newMapBinder(binder, Protocol.class, ListenerFactory.class);
    }

    @Override
    protected void configure() {
        listenerFactories(binder()).addBinding(Protocol.TCP).to(TcpListenerFactory.class);
    }

    /** Makes TCP listeners that record their figures in the server's metrics. */
    static final class TcpListenerFactory implements ListenerFactory {

        private final LbMetrics metrics;
        private final AccessLog accessLog;

        @Inject
        TcpListenerFactory(LbMetrics metrics, AccessLog accessLog) {
            this.metrics = metrics;
            this.accessLog = accessLog;
        }

        @Override
        public Listener create(ListenerConfig config, Pool pool, Transport transport) {
            return new TcpListener(config, pool, transport, metrics, accessLog);
        }
    }

    @Provides
    @Singleton
    List<Listener> listeners(LbConfig config, Pools pools, Transport transport, Map<Protocol, ListenerFactory> factories) {
        List<Listener> listeners = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            ListenerFactory factory = factories.get(listener.protocol());
            if (factory == null) {
                throw new IllegalArgumentException("listener " + listener.name() + ": no support for protocol "
                        + listener.protocol().name().toLowerCase(Locale.ROOT) + " in this server (supported: "
                        + factories.keySet().stream().map(p -> p.name().toLowerCase(Locale.ROOT)).sorted()
                                .toList() + ")");
            }
            listeners.add(factory.create(listener, pools.get(listener.pool()), transport));
        }
        return List.copyOf(listeners);
    }
}

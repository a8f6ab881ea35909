package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.http.HttpListener;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.pool.Pools;
import dev.lb.runtime.tcp.TcpListener;
import dev.lb.runtime.transport.Listener;
import dev.lb.spi.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The listeners, each made by the {@link ListenerFactory} bound for its protocol, or the built-in one. */
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
        listenerFactories(binder()); // declared even when no module binds one, so the map can be injected
    }

    @Provides
    @Singleton
    ListenerFactories factories(Map<Protocol, ListenerFactory> bound, LbMetrics metrics, AccessLog accessLog) {
        // Built-in listeners record their figures in the server's metrics and write the access log.
        return new ListenerFactories(bound, Map.of(
                Protocol.TCP, (config, pool, transport) -> new TcpListener(config, pool, transport, metrics,
                        accessLog),
                Protocol.HTTP, (config, pool, transport) -> new HttpListener(config, pool, transport, metrics,
                        accessLog)));
    }

    @Provides
    @Singleton
    List<Listener> listeners(LbConfig config, Pools pools, dev.lb.runtime.transport.Transport transport,
            ListenerFactories factories) {
        List<Listener> listeners = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            listeners.add(factories.create(listener, pools.get(listener.pool()), transport));
        }
        return List.copyOf(listeners);
    }
}

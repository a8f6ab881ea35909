package dev.lb.runtime.server;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.Pools;
import dev.lb.runtime.http.HttpListener;
import dev.lb.runtime.tcp.TcpListener;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.Transport;
import dev.lb.spi.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The listeners, each made by the {@link ListenerFactory} of its protocol: the one a module bound in the map of
 * listener factories if any, else the built-in one ({@link TcpListener}, {@link HttpListener}).
 */
final class ListenersModule extends AbstractModule {

    /**
     * The map of listener factories by protocol; another module adds or replaces a protocol's with
     * {@code listenerFactories(binder()).addBinding(Protocol.HTTP).toInstance(...)}.
     */
    static MapBinder<Protocol, ListenerFactory> listenerFactories(Binder binder) {
        return MapBinder.newMapBinder(binder, Protocol.class, ListenerFactory.class);
    }

    @Override
    protected void configure() {
        listenerFactories(binder()); // declared even when no module binds one, so the map can be injected
    }

    /** The built-in factory of each protocol. */
    private static final Map<Protocol, ListenerFactory> BUILT_IN = Map.of(
            Protocol.TCP, TcpListener::new,
            Protocol.HTTP, HttpListener::new);

    private static ListenerFactory factory(Map<Protocol, ListenerFactory> bound, Protocol protocol) {
        ListenerFactory factory = bound.get(protocol);
        return factory != null ? factory : BUILT_IN.get(protocol);
    }

    @Provides
    @Singleton
    List<Listener> listeners(LbConfig config, Pools pools, Transport transport, Map<Protocol, ListenerFactory> factories) {
        List<Listener> listeners = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            ListenerFactory factory = factory(factories, listener.protocol());
            if (factory == null) {
                throw new IllegalArgumentException("listener " + listener.name() + ": no support for protocol "
                        + listener.protocol().name().toLowerCase(Locale.ROOT) + " in this server (supported: "
                        + java.util.stream.Stream.concat(factories.keySet().stream(), BUILT_IN.keySet().stream())
                                .distinct().map(p -> p.name().toLowerCase(Locale.ROOT)).sorted()
                                .toList() + ")");
            }
            listeners.add(factory.create(listener, pools.get(listener.pool()), transport));
        }
        return List.copyOf(listeners);
    }
}

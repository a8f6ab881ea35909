package dev.lb.runtime.server;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.Transport;

/**
 * Creates the listeners of one protocol. Bound per {@link dev.lb.spi.Protocol} in a Guice {@code MapBinder} (see
 * {@link LoadBalancer#listenerFactories(com.google.inject.Binder)}), so a module can add a protocol.
 */
@FunctionalInterface
public interface ListenerFactory {

    /** A listener for {@code config} sending its clients to {@code pool}; not yet bound. */
    Listener create(ListenerConfig config, Pool pool, Transport transport);
}

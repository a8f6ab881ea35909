package dev.lb.runtime.server;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.Transport;
import dev.lb.spi.Protocol;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The factory for each protocol: one a module bound, or else the built-in one. Used at start and by reloads. */
final class ListenerFactories {

    private final Map<Protocol, ListenerFactory> bound;
    private final Map<Protocol, ListenerFactory> builtIn;

    ListenerFactories(Map<Protocol, ListenerFactory> bound, Map<Protocol, ListenerFactory> builtIn) {
        this.bound = Map.copyOf(bound);
        this.builtIn = Map.copyOf(builtIn);
    }

    /**
     * A new listener for {@code config}, not yet bound.
     *
     * @throws IllegalArgumentException when no factory supports its protocol
     */
    Listener create(ListenerConfig config, Pool pool, Transport transport) {
        ListenerFactory factory = bound.getOrDefault(config.protocol(), builtIn.get(config.protocol()));
        if (factory == null) {
            throw new IllegalArgumentException("listener " + config.name() + ": no support for protocol "
                    + config.protocol().name().toLowerCase(Locale.ROOT) + " in this server (supported: "
                    + Stream.concat(bound.keySet().stream(), builtIn.keySet().stream()).distinct()
                            .map(p -> p.name().toLowerCase(Locale.ROOT)).sorted().toList() + ")");
        }
        return factory.create(config, pool, transport);
    }
}

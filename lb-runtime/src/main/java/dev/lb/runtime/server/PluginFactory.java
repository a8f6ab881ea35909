package dev.lb.runtime.server;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.PluginInstantiator;
import dev.lb.runtime.config.PluginSpec;
import dev.lb.spi.Algorithm;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.Notifier;
import java.util.Objects;

/**
 * Turns the plugins chosen in configuration into instances while the server is wired: once per pool (algorithm,
 * probe) and once per notifier. It defers to {@link PluginInstantiator}, the one place plugins are created, and
 * carries its located problems through Guice, which only lets unchecked exceptions pass; {@link LoadBalancer.Builder}
 * turns them back into a {@link ConfigException}.
 */
final class PluginFactory {

    private final PluginInstantiator instantiator;

    PluginFactory(PluginInstantiator instantiator) {
        this.instantiator = Objects.requireNonNull(instantiator, "instantiator");
    }

    Algorithm algorithm(PluginSpec spec) {
        try {
            return instantiator.algorithm(spec);
        } catch (ConfigException e) {
            throw new PluginCreationFailure(e);
        }
    }

    HealthProbe probe(PluginSpec spec) {
        try {
            return instantiator.healthProbe(spec);
        } catch (ConfigException e) {
            throw new PluginCreationFailure(e);
        }
    }

    Notifier notifier(PluginSpec spec) {
        try {
            return instantiator.notifier(spec);
        } catch (ConfigException e) {
            throw new PluginCreationFailure(e);
        }
    }

    /** A plugin refused its configuration while the server was wired. */
    static final class PluginCreationFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PluginCreationFailure(ConfigException cause) {
            super(cause.getMessage(), cause);
        }

        ConfigException problems() {
            return (ConfigException) getCause();
        }
    }
}

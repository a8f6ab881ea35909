package dev.lb.runtime.server;

import dev.lb.runtime.config.PluginSpec;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginKind;
import java.util.Objects;

/**
 * Turns the plugins chosen in configuration into instances. The server calls it once per pool (algorithm, probe) and
 * once per notifier while it is built; whatever it throws aborts the build and is reported as is.
 */
public interface PluginFactory {

    /** Creates the algorithm for one pool. */
    Algorithm algorithm(PluginSpec spec);

    /** Creates the health probe for one pool. */
    HealthProbe probe(PluginSpec spec);

    /** Creates one notifier. */
    Notifier notifier(PluginSpec spec);

    /**
     * A factory that looks each spec's type up in {@code catalog} and calls its provider's {@code create} with the
     * spec's settings.
     *
     * @throws IllegalArgumentException (from the methods) when the catalog has no plugin of that kind and name
     */
    static PluginFactory fromCatalog(PluginCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        return new PluginFactory() {
            @Override
            public Algorithm algorithm(PluginSpec spec) {
                return provider(spec, PluginKind.ALGORITHM).as(AlgorithmProvider.class).create(spec.settings());
            }

            @Override
            public HealthProbe probe(PluginSpec spec) {
                return provider(spec, PluginKind.HEALTH_PROBE).as(HealthProbeProvider.class).create(spec.settings());
            }

            @Override
            public Notifier notifier(PluginSpec spec) {
                return provider(spec, PluginKind.NOTIFIER).as(NotifierProvider.class).create(spec.settings());
            }

            private LoadedPlugin provider(PluginSpec spec, PluginKind kind) {
                if (spec.kind() != kind) {
                    throw new IllegalArgumentException(spec.settings().path() + ": a " + spec.kind().displayName()
                            + " was given where a " + kind.displayName() + " is expected");
                }
                return catalog.find(kind, spec.type()).orElseThrow(() -> new IllegalArgumentException(
                        spec.settings().path() + ": unknown " + kind.displayName() + " \"" + spec.type() + "\" (known: "
                                + String.join(", ", catalog.names(kind)) + ")"));
            }
        };
    }
}

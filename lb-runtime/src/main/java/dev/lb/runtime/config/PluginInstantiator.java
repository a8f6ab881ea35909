package dev.lb.runtime.config;

import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.PluginKind;
import dev.lb.spi.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place plugins are instantiated: finds a {@link PluginSpec}'s provider in the catalog, calls its
 * {@code create} with a fresh copy of the settings, and turns what goes wrong (an unknown name, a
 * {@link PluginConfigException}, a key the plugin never read, a crash) into located {@link ConfigProblem}s.
 *
 * <p>Validation uses {@link #check(PluginSpec)}, which closes the plugin at once; the runtime uses
 * {@link #algorithm(PluginSpec)}, {@link #healthProbe(PluginSpec)} and {@link #notifier(PluginSpec)} and owns what
 * they return.
 */
public final class PluginInstantiator {

    private static final Logger LOG = LoggerFactory.getLogger(PluginInstantiator.class);

    private final PluginCatalog catalog;

    public PluginInstantiator(PluginCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Creates the algorithm {@code spec} names; the caller closes it. */
    public Algorithm algorithm(PluginSpec spec) throws ConfigException {
        return orThrow(create(spec, PluginKind.ALGORITHM, AlgorithmProvider.class, AlgorithmProvider::create));
    }

    /** Creates the health probe {@code spec} names; the caller closes it. */
    public HealthProbe healthProbe(PluginSpec spec) throws ConfigException {
        return orThrow(create(spec, PluginKind.HEALTH_PROBE, HealthProbeProvider.class, HealthProbeProvider::create));
    }

    /** Creates the notifier {@code spec} names; the caller closes it. */
    public Notifier notifier(PluginSpec spec) throws ConfigException {
        return orThrow(create(spec, PluginKind.NOTIFIER, NotifierProvider.class, NotifierProvider::create));
    }

    /** Creates the plugin {@code spec} names and closes it at once: the problems, empty when it is fine. */
    public List<ConfigProblem> check(PluginSpec spec) {
        Outcome<? extends AutoCloseable> outcome = switch (spec.kind()) {
            case ALGORITHM -> create(spec, PluginKind.ALGORITHM, AlgorithmProvider.class, AlgorithmProvider::create);
            case HEALTH_PROBE -> create(spec, PluginKind.HEALTH_PROBE, HealthProbeProvider.class,
                    HealthProbeProvider::create);
            case NOTIFIER -> create(spec, PluginKind.NOTIFIER, NotifierProvider.class, NotifierProvider::create);
        };
        if (outcome.instance() != null) {
            closeQuietly(spec, outcome.instance());
        }
        return outcome.problems();
    }

    private record Outcome<T>(T instance, List<ConfigProblem> problems) {
    }

    private static <T> T orThrow(Outcome<T> outcome) throws ConfigException {
        if (!outcome.problems().isEmpty()) {
            throw ConfigProblems.exception(outcome.problems());
        }
        return outcome.instance();
    }

    private <P extends PluginProvider, T extends AutoCloseable> Outcome<T> create(
            PluginSpec spec, PluginKind kind, Class<P> providerType, BiFunction<P, PluginConfig, T> factory) {
        if (spec.kind() != kind) {
            throw new IllegalArgumentException("expected a " + kind.displayName() + " spec, got " + spec);
        }
        ConfigProblem typeProblem = typeProblemPlace(spec);
        Optional<LoadedPlugin> plugin = catalog.find(kind, spec.type());
        if (plugin.isEmpty()) {
            List<String> known = catalog.names(kind);
            return failed(new ConfigProblem(typeProblem.location(), typeProblem.path(), "unknown "
                    + kind.displayName() + " \"" + spec.type() + "\" (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")"));
        }
        // A fresh copy per creation, so the keys read are this creation's and the plugin cannot share state with
        // another instance through its settings.
        PluginConfig settings = spec.settings() instanceof ConfigMap map ? map.copy() : spec.settings();
        T instance;
        try {
            instance = factory.apply(plugin.get().as(providerType), settings);
        } catch (ConfigValueException e) {
            return failed(e.problem());
        } catch (PluginConfigException e) {
            return failed(locate(settings, e));
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("{} {} failed to start", kind.displayName(), spec.type(), e);
            return failed(new ConfigProblem(typeProblem.location(), typeProblem.path(), "the " + spec.type() + " "
                    + kind.displayName() + " (" + plugin.get().source() + ") failed to start: " + e));
        }
        if (instance == null) {
            return failed(new ConfigProblem(typeProblem.location(), typeProblem.path(), "the " + spec.type() + " "
                    + kind.displayName() + " (" + plugin.get().source() + ") created nothing: a bug in the plugin"));
        }
        List<ConfigProblem> problems = settings instanceof ConfigMap map ? unknownKeys(spec, map) : List.of();
        if (!problems.isEmpty()) {
            closeQuietly(spec, instance);
            return new Outcome<>(null, problems);
        }
        return new Outcome<>(instance, List.of());
    }

    private static <T> Outcome<T> failed(ConfigProblem problem) {
        return new Outcome<>(null, List.of(problem));
    }

    /** Where the plugin's name was written: its {@code type} key, or the scalar that named it. */
    private static ConfigProblem typeProblemPlace(PluginSpec spec) {
        if (spec.settings() instanceof ConfigMap map) {
            Optional<ConfigNode> type = map.peek("type");
            if (type.isPresent()) {
                return new ConfigProblem(type.get().location(), type.get().path(), "");
            }
            return new ConfigProblem(map.location(), ConfigNode.childPath(map.path(), "type"), "");
        }
        return new ConfigProblem(null, ConfigNode.childPath(spec.settings().path(), "type"), "");
    }

    private static ConfigProblem locate(PluginConfig settings, PluginConfigException e) {
        if (settings instanceof ConfigMap map) {
            return ((ConfigValueException) map.invalid(e.key(), e.getMessage())).problem();
        }
        String path = e.key() == null ? settings.path() : ConfigNode.childPath(settings.path(), e.key());
        return new ConfigProblem(null, path, e.getMessage());
    }

    private static List<ConfigProblem> unknownKeys(PluginSpec spec, ConfigMap settings) {
        if (settings.askedNothing()) {
            // The plugin asked for nothing at all: say so rather than list only the runtime's keys as "known".
            List<ConfigProblem> problems = new ArrayList<>();
            for (String key : settings.unreadKeys()) {
                problems.add(new ConfigProblem(settings.keyLocation(key), ConfigNode.childPath(settings.path(), key),
                        "unknown key \"" + key + "\" (the " + spec.type() + " " + spec.kind().displayName()
                                + " has no settings; known: " + String.join(", ", settings.knownKeys()) + ")"));
            }
            return problems;
        }
        return settings.unknownKeys();
    }

    private static void closeQuietly(PluginSpec spec, AutoCloseable instance) {
        try {
            instance.close();
        } catch (Exception e) {
            LOG.warn("closing the {} {} after validation failed", spec.type(), spec.kind().displayName(), e);
        }
    }
}

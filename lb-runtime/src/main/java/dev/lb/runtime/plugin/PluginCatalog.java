package dev.lb.runtime.plugin;

import dev.lb.spi.PluginKind;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every plugin provider the runtime found, built-in and third-party, looked up by kind and name. */
public interface PluginCatalog {

    /** The provider of {@code kind} named {@code name}, if one was found. */
    Optional<LoadedPlugin> find(PluginKind kind, String name);

    /** Every provider found, by kind then name. */
    List<LoadedPlugin> all();

    /** The names of every provider of {@code kind}, sorted, for "known: ..." in messages. */
    default List<String> names(PluginKind kind) {
        return all().stream().filter(p -> p.kind() == kind).map(LoadedPlugin::name).sorted().toList();
    }

    /**
     * A catalog of exactly {@code plugins}, which must not hold two of one kind with one name (discovery checks that
     * and reports both sources).
     */
    static PluginCatalog of(List<LoadedPlugin> plugins) {
        List<LoadedPlugin> sorted = plugins.stream()
                .sorted(Comparator.comparing(LoadedPlugin::kind).thenComparing(LoadedPlugin::name))
                .toList();
        return new PluginCatalog() {
            @Override
            public Optional<LoadedPlugin> find(PluginKind kind, String name) {
                return sorted.stream().filter(p -> p.kind() == kind && p.name().equals(name)).findFirst();
            }

            @Override
            public List<LoadedPlugin> all() {
                return sorted;
            }
        };
    }
}

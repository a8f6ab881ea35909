package dev.lb.runtime.plugin;

import dev.lb.spi.PluginKind;
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
}

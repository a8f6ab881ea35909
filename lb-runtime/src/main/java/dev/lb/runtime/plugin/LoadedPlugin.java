package dev.lb.runtime.plugin;

import dev.lb.spi.PluginKind;
import dev.lb.spi.PluginProvider;

/**
 * A plugin provider and where it came from.
 *
 * @param kind which kind of plugin
 * @param provider the instance found by ServiceLoader
 * @param source where it was loaded from, for operators: {@code built-in (lb-plugin-algorithms-0.1.0.jar)} or the
 *     path of the third-party jar
 */
public record LoadedPlugin(PluginKind kind, PluginProvider provider, String source) {

    public String name() {
        return provider.name();
    }

    public String description() {
        return provider.description();
    }

    /** The provider as the interface of its kind. */
    public <P extends PluginProvider> P as(Class<P> type) {
        return type.cast(provider);
    }
}

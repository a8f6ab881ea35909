package dev.lb.spi;

/**
 * What every plugin provider has in common: a name to be chosen by in configuration and a line describing it.
 *
 * <p>Implementations must have a public no-argument constructor (they are instantiated by
 * {@link java.util.ServiceLoader}) and must be cheap to construct: the runtime instantiates every provider it finds,
 * including for {@code lb plugins} and {@code lb validate}.
 */
public interface PluginProvider {

    /**
     * The name by which configuration selects this plugin, e.g. {@code round-robin}. Lower case words joined by
     * hyphens by convention. Two plugins of the same kind with the same name are a configuration error.
     */
    String name();

    /** One line that tells an operator what the plugin does, shown by {@code lb plugins}. */
    String description();
}

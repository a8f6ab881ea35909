package dev.lb.spi;

/**
 * A notifier plugin, found by {@link java.util.ServiceLoader}: register the implementation in
 * {@code META-INF/services/dev.lb.spi.NotifierProvider}.
 *
 * <p>Selected in configuration by name, with the runtime's keys ({@code events}, {@code queue-size},
 * {@code attempts}) beside the notifier's own:
 * <pre>{@code
 * notifiers:
 *   - { type: log, events: [backend-down, backend-up] }
 * }</pre>
 */
public interface NotifierProvider extends PluginProvider {

    /**
     * Validates {@code config} and creates the notifier. Also called by {@code lb validate}, which closes the
     * result at once: it must not start threads or open sockets.
     *
     * @throws PluginConfigException when the configuration is wrong
     */
    Notifier create(PluginConfig config);
}

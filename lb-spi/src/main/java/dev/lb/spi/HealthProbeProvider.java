package dev.lb.spi;

/**
 * A health probe plugin, found by {@link java.util.ServiceLoader}: register the implementation in
 * {@code META-INF/services/dev.lb.spi.HealthProbeProvider}.
 *
 * <p>Selected in a pool's health block by name; the probe's own settings sit beside its type, the runtime's (interval,
 * timeout, rise, fall) one level up:
 * <pre>{@code
 * health:
 *   probe: { type: tcp }       # or simply: probe: tcp
 *   interval: 2s
 *   timeout: 1s
 *   rise: 2
 *   fall: 3
 * }</pre>
 */
public interface HealthProbeProvider extends PluginProvider {

    /**
     * Validates {@code config} and creates the probe for one pool. Also called by {@code lb validate}, which closes
     * the result at once: it must not start threads or open sockets.
     *
     * @throws PluginConfigException when the configuration is wrong
     */
    HealthProbe create(PluginConfig config);
}

package dev.lb.spi;

/**
 * A balancing algorithm plugin, found by {@link java.util.ServiceLoader}: register the implementation in
 * {@code META-INF/services/dev.lb.spi.AlgorithmProvider}.
 *
 * <p>Selected in configuration by name:
 * <pre>{@code
 * pools:
 *   app:
 *     algorithm: { type: round-robin }     # or simply: algorithm: round-robin
 * }</pre>
 */
public interface AlgorithmProvider extends PluginProvider {

    /**
     * Validates {@code config} and creates the algorithm for one pool. Called once per pool at start and on reload,
     * and by {@code lb validate}, which closes the result at once: it must not start threads or open sockets.
     *
     * @throws PluginConfigException when the configuration is wrong
     */
    Algorithm create(PluginConfig config);
}

/**
 * The plugin SPI of the load balancer: the stable, public API that balancing algorithms, health probes and
 * notifiers are written against.
 *
 * <p>A plugin is a class that implements one of the three provider interfaces and is registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services}:
 * <ul>
 *   <li>{@link dev.lb.spi.AlgorithmProvider} creates an {@link dev.lb.spi.Algorithm} per pool, which turns each
 *       {@link dev.lb.spi.PoolSnapshot} into an immutable {@link dev.lb.spi.Picker} used on the hot path;</li>
 *   <li>{@link dev.lb.spi.HealthProbeProvider} creates a {@link dev.lb.spi.HealthProbe} that checks one
 *       backend at a time;</li>
 *   <li>{@link dev.lb.spi.NotifierProvider} creates a {@link dev.lb.spi.Notifier} that delivers
 *       {@link dev.lb.spi.HealthEvent}s somewhere.</li>
 * </ul>
 *
 * <p>Each provider is chosen in the configuration by its {@linkplain dev.lb.spi.PluginProvider#name() name} and
 * receives its own block of configuration as a {@link dev.lb.spi.PluginConfig}. Built-in plugins are found on the
 * class path; third-party jars dropped in the plugins directory are each loaded in an isolated class loader that
 * shares only this package, the JDK and {@code org.slf4j} with the runtime.
 *
 * <p>This package depends on nothing but the JDK and slf4j-api.
 */
package dev.lb.spi;

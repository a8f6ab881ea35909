package dev.lb.harness.script;

import dev.lb.harness.backend.DummyBackend;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.script.ScriptProvider;
import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.PluginSpec;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.spi.PluginKind;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A load balancer with one listener (HTTP or TCP) on a free loopback port in front of pool {@code app}, whose
 * algorithm is the {@code script} plugin running {@code file} with {@code config}.
 */
final class ScriptedLb implements AutoCloseable {

    /** The shipped example policies, seen from the test-harness module (where surefire runs). */
    static final Path EXAMPLES = Path.of("../scripts").toAbsolutePath().normalize();

    final LoadBalancer lb;

    ScriptedLb(Protocol protocol, Path file, Map<String, ?> config, DummyBackend... backends)
            throws ConfigException {
        List<BackendConfig> pool = new ArrayList<>();
        for (DummyBackend backend : backends) {
            pool.add(new BackendConfig(backend.name(), backend.address(), 1, Map.of()));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("file", file.toString());
        // Surefire runs GraalVM interpreted, where a first call takes milliseconds: a budget that cannot trip.
        settings.put("time-budget", "1s");
        settings.put("config", config);
        PoolConfig poolConfig = new PoolConfig("app",
                new PluginSpec(PluginKind.ALGORITHM, "script", ConfigMap.of("pools.app.algorithm", settings)),
                pool, null);
        ListenerConfig listener = new ListenerConfig("front", protocol,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "app", Duration.ofSeconds(2), 3,
                Duration.ofMinutes(1), null, null);
        LbConfig lbConfig = new LbConfig(null, List.of(listener), Map.of("app", poolConfig), List.of(), null,
                Duration.ofSeconds(5));
        PluginCatalog catalog = PluginCatalog.of(List.of(
                new LoadedPlugin(PluginKind.ALGORITHM, new ScriptProvider(), "test"),
                new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "test")));
        lb = LoadBalancer.builder(lbConfig, catalog).workerThreads(2).build();
        lb.start();
    }

    InetSocketAddress address() {
        return lb.boundAddress("front");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address().getPort() + path);
    }

    @Override
    public void close() {
        lb.close(Duration.ofSeconds(1));
    }
}

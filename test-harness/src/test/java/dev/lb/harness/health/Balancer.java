package dev.lb.harness.health;

import dev.lb.harness.TestSockets;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.notifiers.LogNotifierProvider;
import dev.lb.plugins.notifiers.WebhookNotifierProvider;
import dev.lb.plugins.probes.HttpProbeProvider;
import dev.lb.plugins.probes.TcpProbeProvider;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.spi.PluginKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A load balancer started from YAML text, as an operator would write it, with the built-in plugins. */
final class Balancer implements AutoCloseable {

    final LoadBalancer lb;

    private Balancer(LoadBalancer lb) {
        this.lb = lb;
    }

    static Balancer start(String yaml, Path dir) throws Exception {
        PluginCatalog catalog = PluginCatalog.of(List.of(
                new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "built-in"),
                new LoadedPlugin(PluginKind.HEALTH_PROBE, new TcpProbeProvider(), "built-in"),
                new LoadedPlugin(PluginKind.HEALTH_PROBE, new HttpProbeProvider(), "built-in"),
                new LoadedPlugin(PluginKind.NOTIFIER, new LogNotifierProvider(), "built-in"),
                new LoadedPlugin(PluginKind.NOTIFIER, new WebhookNotifierProvider(), "built-in")));
        LbConfig config = new ConfigLoader().load("lb.yaml", yaml, dir, catalog);
        LoadBalancer lb = LoadBalancer.builder(config, catalog).workerThreads(2).build();
        lb.start();
        return new Balancer(lb);
    }

    InetSocketAddress address(String listener) {
        return lb.boundAddress(listener);
    }

    Pool pool(String name) {
        return lb.pool(name);
    }

    /** Opens a connection through {@code listener}, reads the backend's identity line; null when closed first. */
    String identity(String listener) throws IOException {
        try (Socket socket = TestSockets.connect(address(listener))) {
            return TestSockets.readLine(socket.getInputStream());
        }
    }

    @Override
    public void close() {
        lb.close(Duration.ofSeconds(1));
    }
}

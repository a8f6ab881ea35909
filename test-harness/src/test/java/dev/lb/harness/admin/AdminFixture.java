package dev.lb.harness.admin;

import dev.lb.plugins.algorithms.RandomProvider;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.probes.TcpProbeProvider;
import dev.lb.runtime.admin.ControlPlane;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.reload.ReloadService;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.spi.PluginKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A load balancer started from a configuration file, as the CLI starts one: validated by {@link ConfigLoader}, with
 * its {@link ControlPlane} (reloads and the admin listener); plus an HTTP client for the admin API. Loopback only.
 */
final class AdminFixture implements AutoCloseable {

    static final PluginCatalog CATALOG = PluginCatalog.of(List.of(
            new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "test"),
            new LoadedPlugin(PluginKind.ALGORITHM, new RandomProvider(), "test"),
            new LoadedPlugin(PluginKind.HEALTH_PROBE, new TcpProbeProvider(), "test")));

    final Path file;
    final LoadBalancer lb;
    final ControlPlane control;
    final ReloadService reloads;
    final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminFixture(Path file, String yaml, String token) throws Exception {
        this.file = file;
        this.token = token;
        Files.writeString(file, yaml);
        ConfigLoader loader = new ConfigLoader();
        LbConfig config = loader.load(file, CATALOG);
        lb = LoadBalancer.builder(config, CATALOG).workerThreads(2).build();
        lb.start();
        control = ControlPlane.start(lb, file, loader, CATALOG, null); // tests turn the file watch on themselves
        reloads = control.reloads();
    }

    InetSocketAddress listener(String name) {
        return lb.boundAddress(name);
    }

    URI adminUri(String path) {
        InetSocketAddress address = control.adminAddress().orElseThrow();
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(adminUri(path)).GET(), token);
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(adminUri(path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String bearer) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        control.close();
        lb.close(Duration.ofSeconds(1));
    }
}

package dev.lb.runtime.admin;

import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.reload.ReloadService;
import dev.lb.runtime.server.LoadBalancer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that steers a running server started from a file: its {@link ReloadService} (SIGHUP, an optional file
 * watch, the admin call) and its {@link AdminServer} when the configuration has an {@code admin} block. What a
 * {@code run} command needs after {@link LoadBalancer#start()}:
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder(config, catalog).build();
 * lb.start();
 * try (ControlPlane control = ControlPlane.start(lb, file, loader, catalog, Duration.ofSeconds(1))) {
 *     ... // until shutdown
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {

    private final ReloadService reloads;
    private final AdminServer admin;

    private ControlPlane(ReloadService reloads, AdminServer admin) {
        this.reloads = reloads;
        this.admin = admin;
    }

    /**
     * Starts reloading on SIGHUP (where the platform has it), on changes of {@code file} when {@code watchQuiet} is
     * not null (a change is applied once the file has been quiet that long), and through the admin listener, which is
     * started when the server's configuration has an {@code admin} block.
     *
     * @throws IOException when the file's folder cannot be watched
     * @throws dev.lb.runtime.transport.ListenerBindException when the admin address cannot be bound
     */
    public static ControlPlane start(LoadBalancer lb, Path file, ConfigLoader loader, PluginCatalog catalog,
            Duration watchQuiet) throws IOException {
        Objects.requireNonNull(lb, "lb");
        ReloadService reloads = new ReloadService(lb, file, loader, catalog);
        AdminServer admin = null;
        try {
            reloads.handleSighup();
            if (watchQuiet != null) {
                reloads.watchFile(watchQuiet);
            }
            if (lb.config().admin() != null) {
                admin = new AdminServer(lb.config().admin(), lb, catalog, reloads);
                admin.start();
            }
            return new ControlPlane(reloads, admin);
        } catch (IOException | RuntimeException e) {
            reloads.close();
            throw e;
        }
    }

    /** The reloads of the server. */
    public ReloadService reloads() {
        return reloads;
    }

    /** The admin listener's bound address, when there is one. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin == null ? Optional.empty() : Optional.of(admin.boundAddress());
    }

    /** Stops the admin listener and the reload triggers (the server itself is left running). */
    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        reloads.close();
    }
}

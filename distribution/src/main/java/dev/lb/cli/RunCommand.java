package dev.lb.cli;

import dev.lb.runtime.admin.ControlPlane;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import dev.lb.runtime.transport.TransportKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lb run CONFIG}: the server. */
@Command(name = "run",
        description = "Run a load balancer from a YAML configuration file until stopped (SIGTERM or Ctrl-C).",
        footer = "A config that does not validate is refused with file:line:column messages and exit code 1.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
    Path file;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Event-loop threads for connections; 0 (the default) for one per available core.")
    int workers;

    @Option(names = "--transport", paramLabel = "KIND", defaultValue = "auto",
            description = "How the event loops do I/O: auto (the default: the first of io_uring, epoll and nio "
                    + "that this machine allows), io_uring, epoll or nio.")
    String transport;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (workers < 0) {
            spec.commandLine().getErr().println("--workers: expected 0 (one per core) or more, got " + workers);
            spec.commandLine().getErr().flush();
            return 2;
        }
        TransportKind kind;
        try {
            kind = TransportKind.parse(transport).requireAvailable();
        } catch (IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("--transport: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        LoadedConfig loaded;
        try {
            loaded = LoadedConfig.fromFile(file);
        } catch (ConfigException e) {
            e.problems().forEach(spec.commandLine().getErr()::println);
            spec.commandLine().getErr().flush();
            return 1;
        } catch (PluginDiscoveryException e) {
            spec.commandLine().getErr().println(file + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        return ServerRunner.runUntilStopped(loaded, workers, kind, spec.commandLine().getErr(),
                control(file, loaded.catalog()), lb -> { }, List.of());
    }

    /**
     * What runs beside the server of {@code file}: reloads on SIGHUP, on changes of the file (once it has been quiet
     * for a second) and through the admin listener, when the file configures one.
     */
    static ServerRunner.Control control(Path file, PluginCatalog catalog) {
        return lb -> ControlPlane.start(lb, file, new ConfigLoader(), catalog, Duration.ofSeconds(1));
    }
}

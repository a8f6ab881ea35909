package dev.lb.cli;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lb demo}: three dummy HTTP backends on loopback and a load balancer in front of them, from an embedded
 * config, so a newcomer sees traffic balanced with nothing but curl.
 */
@Command(name = "demo",
        description = "Start three dummy HTTP backends and a load balancer in front of them, and print what to curl.")
final class DemoCommand implements Callable<Integer> {

    private static final String CONFIG_RESOURCE = "demo.yaml";

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "The HTTP listener's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 for any free port); the"
                    + " TCP listener takes the next one (any free one with 0).")
    int port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Setup setup = Setup.start(port);
        LoadedConfig config;
        try {
            config = LoadedConfig.fromText(CONFIG_RESOURCE + " (embedded)", setup.yaml());
        } catch (ConfigException | PluginDiscoveryException e) {
            closeAll(setup.backends());
            throw new IllegalStateException("the embedded demo config is broken: " + e.getMessage(), e);
        }
        int code = ServerRunner.runUntilStopped(config, 0, TransportKind.configured(), err, ServerRunner.Control.NONE,
                lb -> printWelcome(lb, setup.backends()), setup.backends());
        if (code != 0) {
            err.println("lb demo: could not start; is port " + port + " taken? Try: lb demo --port 0");
            err.flush();
            closeAll(setup.backends());
        }
        return code;
    }

    /** The demo's three running backends and the config of a load balancer in front of them. */
    record Setup(List<AutoCloseable> backends, String yaml) {

        /** Starts the backends and fills in the embedded config: HTTP on {@code port}, TCP on the next one. */
        static Setup start(int port) {
            List<AutoCloseable> backends = new ArrayList<>();
            String yaml = template().replace("${port}", Integer.toString(port))
                    .replace("${tcp-port}", Integer.toString(port == 0 ? 0 : port + 1));
            for (int i = 1; i <= 3; i++) {
                DummyHttpBackend backend = DummyHttpBackend.start("backend-" + i);
                backends.add(backend);
                yaml = yaml.replace("${backend-" + i + "}", Integer.toString(backend.address().getPort()));
            }
            return new Setup(List.copyOf(backends), yaml);
        }
    }

    private void printWelcome(LoadBalancer lb, List<AutoCloseable> backends) {
        String http = ServerRunner.hostPort(lb.boundAddress("http"));
        String tcp = ServerRunner.hostPort(lb.boundAddress("tcp"));
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.println("lb demo: load balancers on 127.0.0.1, round robin over " + backends.size()
                + " dummy HTTP backends:");
        backends.forEach(b -> out.println("  " + b));
        out.println();
        out.println("HTTP (L7, a pick per request; the backend's name is also in the X-Backend header):");
        out.println("  for i in 1 2 3 4 5 6; do curl -s http://" + http + "/; done");
        out.println("TCP (L4, a pick per connection):");
        out.println("  for i in 1 2 3 4 5 6; do curl -s http://" + tcp + "/; done");
        out.println();
        out.println("Ctrl-C stops it.");
        out.flush();
    }

    private static String template() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo config " + CONFIG_RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Best effort on the way out; the process is ending.
            }
        }
    }
}

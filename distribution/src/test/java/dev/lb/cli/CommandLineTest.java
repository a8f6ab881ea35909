package dev.lb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.harness.plugins.FirstEligiblePlugin;
import dev.lb.runtime.admin.ControlPlane;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.TransportKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code lb} commands as an operator runs them, in-process: output, messages and exit codes. */
@Timeout(60)
class CommandLineTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run lb(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainStartupProxiesEveryRequestAndStopsByItself() {
        Run run = lb("train-startup");
        assertEquals(0, run.exitCode(), run.err());
        int all = 2 * TrainStartupCommand.REQUESTS;
        assertTrue(run.out().contains(all + " of " + all + " requests answered 200"), run.out());
    }

    @Test
    void trainStartupIsNotInTheHelp() {
        assertFalse(lb("--help").out().contains("train-startup"));
    }

    @Test
    void validateAcceptsEveryShippedExample() throws IOException {
        try (var examples = Files.list(Path.of("../examples"))) {
            String[] args = examples.filter(p -> p.toString().endsWith(".yaml")).map(Path::toString)
                    .sorted().toList().toArray(String[]::new);
            assertTrue(args.length >= 2, "the examples folder has configs");
            String[] command = new String[args.length + 1];
            command[0] = "validate";
            System.arraycopy(args, 0, command, 1, args.length);
            Run run = lb(command);
            assertEquals(0, run.exitCode(), run.err());
            for (String example : args) {
                assertTrue(run.out().contains(example + ": ok ("), run.out());
            }
        }
    }

    @Test
    void validateRefusesABrokenConfigWithEveryProblemLocatedAndExitCodeOne() throws IOException {
        Path config = Files.writeString(dir.resolve("lb.yaml"), """
                listeners:
                  - name: web
                    protocol: tcp
                    bind: 127.0.0.1:8080
                    pool: nowhere
                pools:
                  app:
                    algorithm: round-robn
                    backends: [127.0.0.1:9001]
                """);
        Run run = lb("validate", config.toString());
        assertEquals(1, run.exitCode());
        assertEquals(config + ":5:11: listeners[0].pool: unknown pool \"nowhere\" (known: app)\n"
                + config + ":8:16: pools.app.algorithm: unknown algorithm \"round-robn\" (known: consistent-hash,"
                + " ip-hash, least-connections, least-response-time, peak-ewma, power-of-two-choices, random,"
                + " round-robin, script, weighted-least-connections, weighted-random, weighted-round-robin)\n",
                run.err());
    }

    @Test
    void validateSaysWhenTheFileIsMissing() {
        Run run = lb("validate", dir.resolve("absent.yaml").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("absent.yaml"), run.err());
    }

    @Test
    void aCommandIsRequired() {
        Run run = lb();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing a command"), run.err());
    }

    @Test
    void everyCommandPrintsItsUsageWithHelpAndExitsZero() {
        for (String command : List.of("run", "validate", "plugins", "demo", "verify")) {
            Run run = lb(command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run.err());
            assertTrue(run.out().startsWith("Usage: lb " + command + " "), run.out());
            assertEquals(run.out(), lb("help", command).out(), "lb help " + command + " says the same");
        }
    }

    @Test
    void theTopLevelHelpListsEveryCommandAndAMisspeltOneIsRefused() {
        Run help = lb("--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String command : List.of("run", "validate", "plugins", "demo", "verify", "help")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " listed: " + help.out());
        }
        Run misspelt = lb("rnu", "config.yaml");
        assertEquals(2, misspelt.exitCode());
        assertTrue(misspelt.err().contains("Unmatched arguments from index 0: 'rnu'"), misspelt.err());
        assertTrue(misspelt.err().contains("Commands:"), "the usage with every command follows: " + misspelt.err());
    }

    @Test
    void pluginsListsTheBuiltInsWithTheirKindAndSource() {
        Run run = lb("plugins");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s).*algorithm +round-robin +built-in \\(.*"), run.out());
        assertTrue(run.out().matches("(?s).*health probe +tcp +built-in \\(.*"), run.out());
        assertTrue(run.out().matches("(?s).*notifier +log +built-in \\(.*"), run.out());
    }

    /**
     * A plugin jar built against lb-spi only, carrying its own older jackson-core, dropped in the plugins directory a
     * config names: {@code lb plugins} lists it, {@code lb validate} accepts it by name, and the server started as
     * {@code lb run} starts it sends real connections through it.
     */
    @Test
    void aThirdPartyPluginIsListedSelectedByNameAndBalancesTraffic() throws Exception {
        Path jar = FirstEligiblePlugin.buildJar(Files.createDirectory(dir.resolve("plugins.d")));
        try (DummyTcpBackend first = DummyTcpBackend.start("first");
                DummyTcpBackend second = DummyTcpBackend.start("second")) {
            Path config = Files.writeString(dir.resolve("lb.yaml"), """
                    listeners:
                      - { name: front, protocol: tcp, bind: "127.0.0.1:0", pool: app }
                    pools:
                      app:
                        algorithm: %s
                        backends: ["127.0.0.1:%d", "127.0.0.1:%d"]
                    plugins: { dir: plugins.d }
                    """.formatted(FirstEligiblePlugin.NAME, first.address().getPort(), second.address().getPort()));

            Run plugins = lb("plugins", "--config", config.toString());
            assertEquals(0, plugins.exitCode(), plugins.err());
            String line = plugins.out().lines().filter(l -> l.contains(FirstEligiblePlugin.NAME)).findFirst()
                    .orElseThrow(() -> new AssertionError("not listed:\n" + plugins.out()));
            assertTrue(line.startsWith("algorithm"), line);
            assertTrue(line.contains(jar.toString()), line);
            assertTrue(line.contains(FirstEligiblePlugin.JACKSON_VERSION), "its own jackson-core: " + line);

            Run validate = lb("validate", config.toString());
            assertEquals(0, validate.exitCode(), validate.err());

            LoadBalancer lb = ServerRunner.start(LoadedConfig.fromFile(config));
            try {
                for (int i = 0; i < 10; i++) {
                    assertEquals("first", identityThrough(lb.boundAddress("front")));
                }
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
            assertEquals(10, first.totalConnections());
            assertEquals(0, second.totalConnections());
        }
    }

    /**
     * {@code lb run}'s control plane: the admin listener the file configures answers, and an edit of the file is
     * applied without a restart (the file watch): a backend added to the pool takes traffic.
     */
    @Test
    void runReloadsItsFileAndServesTheAdminApi() throws Exception {
        try (DummyTcpBackend first = DummyTcpBackend.start("first");
                DummyTcpBackend second = DummyTcpBackend.start("second")) {
            String template = """
                    listeners:
                      - { name: front, protocol: tcp, bind: "127.0.0.1:0", pool: app }
                    pools:
                      app:
                        algorithm: round-robin
                        backends: [%s]
                    admin: { bind: "127.0.0.1:0" }
                    """;
            String one = "\"127.0.0.1:" + first.address().getPort() + "\"";
            Path config = Files.writeString(dir.resolve("lb.yaml"), template.formatted(one));
            LoadedConfig loaded = LoadedConfig.fromFile(config);
            LoadBalancer lb = ServerRunner.start(loaded);
            try (ControlPlane control = (ControlPlane) RunCommand.control(config, loaded.catalog()).start(lb)) {
                InetSocketAddress admin = control.adminAddress().orElseThrow();
                HttpResponse<String> status = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort()
                                + "/status")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, status.statusCode(), status.body());
                assertTrue(status.body().contains("\"front\""), status.body());

                Files.writeString(config, template.formatted(one + ", \"127.0.0.1:" + second.address().getPort()
                        + "\""));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (lb.pools().iterator().next().backends().size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(2, lb.pools().iterator().next().backends().size(), "the edited file was applied");
                for (int i = 0; i < 4; i++) {
                    identityThrough(lb.boundAddress("front"));
                }
                assertTrue(second.totalConnections() > 0, "the added backend takes traffic");
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void runRefusesANegativeWorkerCount() throws IOException {
        Run run = runWith("--workers", "-1");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--workers: expected 0 (one per core) or more, got -1"), run.err());
    }

    @Test
    void runRefusesAnUnknownTransport() throws IOException {
        Run run = runWith("--transport", "kqueue");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--transport: unknown transport 'kqueue': expected auto, io_uring, epoll, nio"),
                run.err());
    }

    /** {@code lb run} with {@code options} and a config that is valid: what refuses to start is the options. */
    private Run runWith(String... options) throws IOException {
        Path config = Files.writeString(dir.resolve("lb.yaml"), """
                listeners: [{ name: front, bind: "127.0.0.1:0", pool: app }]
                pools: { app: { backends: ["127.0.0.1:9"] } }
                """);
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(options));
        args.add(config.toString());
        return lb(args.toArray(String[]::new));
    }

    /** The server that {@code lb run --workers 1} starts runs every connection on its one event-loop thread. */
    @Test
    void theWorkerCountGoesToTheServer() throws Exception {
        try (DummyTcpBackend backend = DummyTcpBackend.start("only")) {
            Path config = Files.writeString(dir.resolve("lb.yaml"), """
                    listeners: [{ name: front, protocol: tcp, bind: "127.0.0.1:0", pool: app }]
                    pools: { app: { backends: ["127.0.0.1:%d"] } }
                    """.formatted(backend.address().getPort()));
            java.util.Set<String> before = ioThreads();
            LoadBalancer lb = ServerRunner.start(LoadedConfig.fromFile(config), 1, TransportKind.automatic());
            try {
                for (int i = 0; i < 3; i++) {
                    assertEquals("only", identityThrough(lb.boundAddress("front")));
                }
                java.util.Set<String> started = ioThreads();
                started.removeAll(before);
                assertEquals(1, started.size(), "event-loop threads started: " + started);
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
        }
    }

    private static java.util.Set<String> ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("lb-io-"))
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    /** Connects through the balancer and reads the dummy backend's identity line. */
    private static String identityThrough(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(5000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }
}

package dev.lb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.lb.harness.scenario.Scenario;
import dev.lb.harness.scenario.ScenarioReport;
import dev.lb.harness.scenario.Scenarios;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.harness.verify.Verifier;
import dev.lb.harness.verify.VerifyReport;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.ParsedConfig;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.plugin.PluginDiscovery;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lb verify CONFIG}: runs the fault scenarios against a configuration, with dummy backends standing in for its
 * backends behind a real Toxiproxy server, and prints what happened; non-zero exit when a scenario fails.
 */
@Command(name = "verify",
        description = {
            "Run the fault scenarios against CONFIG: its listeners, algorithms, health checks and retries, with dummy"
                    + " backends on 127.0.0.1 standing in for its backends, each behind a Toxiproxy proxy that injects"
                    + " the faults (down, hung, reset, slow, flapping, all down, cut mid-transfer).",
            "Prints a table per listener: requests, client errors, time to fail over, time to recover, notifications;"
                    + " then what failed and why."},
        footer = {
            "Needs toxiproxy-server: on the PATH, named by TOXIPROXY_SERVER, or a running one at TOXIPROXY_URL"
                    + " (tools/install-toxiproxy.sh installs it).",
            "Exit status: 0 every scenario passed, 1 a scenario failed, 2 the configuration or the environment is"
                    + " wrong."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML configuration file.")
    Path file;

    @Option(names = "--json", description = "Print the report as JSON (for CI) instead of tables.")
    boolean json;

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Run only these scenarios (repeatable or comma-separated); by default all of: "
                    + "${COMPLETION-CANDIDATES}.",
            completionCandidates = ScenarioNames.class)
    List<String> only;

    @Option(names = "--listener", paramLabel = "NAME", split = ",",
            description = "Drive only these listeners; by default every one.")
    List<String> listeners;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Run up to N scenarios at once, each on its own balancer (default: ${DEFAULT-VALUE}); they"
                    + " mostly wait for health checks, so a few side by side finish sooner.")
    int parallel;

    @Option(names = "--verbose",
            description = "Keep the balancer's own log on stderr (every refused connect, every health change); by"
                    + " default only errors, as the report says what happened.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!verbose) {
            quietRuntimeLog();
        }
        try {
            if (only != null) {
                only.forEach(Scenarios::named);
            }
            ParsedConfig parsed = new ConfigLoader().parse(file);
            PluginCatalog catalog = PluginDiscovery.forRuntime().discover(
                    parsed.pluginsDir().filter(Files::isDirectory));
            try (ToxiproxyServer toxiproxy = ToxiproxyServer.start()) {
                Set<String> scenarioNames = only == null ? null : Set.copyOf(only);
                Set<String> listenerNames = listeners == null ? null : Set.copyOf(listeners);
                Verifier verifier = new Verifier(toxiproxy).parallelism(parallel)
                        .scenarios((Scenario s) -> scenarioNames == null || scenarioNames.contains(s.name()))
                        .listeners(l -> listenerNames == null || listenerNames.contains(l.name()));
                if (!json) {
                    err.println("lb verify: " + file + " (each scenario takes from a few seconds to about as long as"
                            + " its health checks need to see a failure and a recovery)");
                    err.flush();
                    verifier.onResult(r -> {
                        err.println("  " + ScenarioReport.line(r));
                        err.flush();
                    });
                }
                VerifyReport report = verifier.verify(file.toString(), parsed, catalog);
                out.print(json ? report.json() : report.table());
                out.flush();
                return report.passed() ? 0 : 1;
            }
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
        } catch (PluginDiscoveryException e) {
            err.println(file + ": " + e.getMessage());
        } catch (IllegalStateException | IllegalArgumentException e) {
            // No Toxiproxy server (the message says how to get one), a listener protocol this build cannot serve, an
            // unknown scenario or listener name.
            err.println("lb verify: " + e.getMessage());
        }
        err.flush();
        return 2;
    }

    /**
     * The scenarios make the balancer refuse, retry and mark backends down hundreds of times, each a log line that
     * would bury the report: keep only errors.
     */
    private static void quietRuntimeLog() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger("dev.lb").setLevel(Level.ERROR);
        }
    }

    /** The scenario names, for the help text. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Scenarios.all().stream().map(Scenario::name).iterator();
        }
    }
}

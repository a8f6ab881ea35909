package dev.lb.harness.verify;

import dev.lb.harness.bed.TestBed;
import dev.lb.harness.scenario.Scenario;
import dev.lb.harness.scenario.ScenarioResult;
import dev.lb.harness.scenario.ScenarioTarget;
import dev.lb.harness.scenario.Scenarios;
import dev.lb.harness.toxiproxy.ToxiproxyServer;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.ParsedConfig;
import dev.lb.runtime.plugin.PluginCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs the fault scenarios against a user's own configuration: its listeners, algorithms, health checks and retry
 * settings, with dummy backends standing in for its backends behind Toxiproxy (see {@link TestBed}).
 *
 * <p>Each scenario runs on a fresh balancer, so one scenario's aftermath cannot spoil the next; every listener is
 * driven with the scenarios that apply to its protocol.
 *
 * <pre>{@code
 * try (ToxiproxyServer toxiproxy = ToxiproxyServer.start()) {
 *     VerifyReport report = new Verifier(toxiproxy).verify("lb.yaml", parsed, catalog);
 *     System.out.print(report.table());
 * }
 * }</pre>
 */
public final class Verifier {

    private final ToxiproxyServer toxiproxy;
    private Predicate<Scenario> scenarios = s -> true;
    private Predicate<ListenerConfig> listeners = l -> true;
    private Consumer<ScenarioResult> progress = r -> { };
    private int parallelism = 1;

    public Verifier(ToxiproxyServer toxiproxy) {
        this.toxiproxy = Objects.requireNonNull(toxiproxy, "toxiproxy");
    }

    /** Runs only the scenarios {@code filter} accepts. */
    public Verifier scenarios(Predicate<Scenario> filter) {
        this.scenarios = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /** Drives only the listeners {@code filter} accepts. */
    public Verifier listeners(Predicate<ListenerConfig> filter) {
        this.listeners = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /** Called with each result as soon as its scenario ends. */
    public Verifier onResult(Consumer<ScenarioResult> progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Runs up to {@code scenarios} scenarios at once (1, the default, runs them one after the other). Each has its own
     * balancer, backends and proxies, and mostly waits for health checks, so several fit side by side; the report
     * keeps the usual order.
     */
    public Verifier parallelism(int scenarios) {
        if (scenarios < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + scenarios);
        }
        this.parallelism = scenarios;
        return this;
    }

    /**
     * Verifies a configuration read by {@link ConfigLoader#parse}.
     *
     * @param name how to call it in the report (the file as the user named it)
     * @param catalog the plugins it may name
     * @throws ConfigException when the configuration itself is wrong (located problems, as {@code lb validate})
     */
    public VerifyReport verify(String name, ParsedConfig parsed, PluginCatalog catalog)
            throws ConfigException, InterruptedException {
        LbConfig config = new ConfigLoader().load(parsed, catalog);
        List<Callable<ScenarioResult>> runs = new ArrayList<>();
        for (ListenerConfig listener : config.listeners()) {
            if (!listeners.test(listener)) {
                continue;
            }
            for (Scenario scenario : Scenarios.forProtocol(listener.protocol())) {
                if (scenarios.test(scenario)) {
                    runs.add(() -> {
                        try (TestBed bed = TestBed.start(parsed, catalog, TestBed.Options.behind(toxiproxy))) {
                            ScenarioResult result = scenario.run(ScenarioTarget.of(bed, listener.name()));
                            synchronized (progress) {
                                progress.accept(result);
                            }
                            return result;
                        }
                    });
                }
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no scenario matched: nothing was verified");
        }
        List<ScenarioResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, runs.size()),
                Thread.ofPlatform().name("lb-verify-", 1).daemon().factory());
        try {
            List<Future<ScenarioResult>> futures = new ArrayList<>();
            runs.forEach(run -> futures.add(pool.submit(run)));
            for (Future<ScenarioResult> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ConfigException refused) {
                        throw refused;
                    }
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException("a scenario failed to run: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new VerifyReport(name, results);
    }
}

package dev.lb.plugins.script;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginConfig;

/**
 * {@code script}: each pick made by a JavaScript policy, run sandboxed on GraalVM and reloaded when its file changes.
 *
 * <pre>{@code
 * algorithm:
 *   type: script
 *   file: scripts/canary.js        # exports pick(request, backends), optionally init(config)
 *   fallback: round-robin          # or random: used for a request when the script fails
 *   time-budget: 5ms               # per pick
 *   statement-limit: 100000        # per pick
 *   allocation-limit: 8MiB         # heap a pick may allocate
 *   recycle-after: 256MiB          # heap a context's picks may allocate in all before it is rebuilt afresh
 *   watch: true                    # reload on change
 *   config: { canary: b, percent: 5 }
 * }</pre>
 *
 * <p>Creating the algorithm loads and checks the policy (syntax, {@code pick}, {@code init}), so {@code lb validate}
 * reports a broken script as {@code file.js:line:column}. Threads (file watch, watchdog) start with the first picker.
 */
public final class ScriptProvider implements AlgorithmProvider {

    @Override
    public String name() {
        return "script";
    }

    @Override
    public String description() {
        return "a JavaScript policy (GraalVM, sandboxed, hot-reloaded) picks each backend";
    }

    @Override
    public Algorithm create(PluginConfig config) {
        ScriptSettings settings = ScriptSettings.read(config);
        try {
            return ScriptAlgorithm.load(settings);
        } catch (PolicyLoadException e) {
            throw config.invalid("file", e.getMessage());
        }
    }
}

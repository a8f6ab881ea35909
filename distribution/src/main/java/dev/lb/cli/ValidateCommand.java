package dev.lb.cli;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lb validate CONFIG...}: checks configs without starting anything; non-zero exit when one is wrong. */
@Command(name = "validate",
        description = "Check configuration files, plugins included, without starting anything.",
        footer = "Exits 0 when every file is valid, 1 otherwise; each problem is printed as file:line:column: path: message.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "CONFIG", description = "YAML configuration files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int invalid = 0;
        for (Path file : files) {
            try {
                out.println(file + ": ok (" + summary(LoadedConfig.fromFile(file).config()) + ")");
            } catch (ConfigException e) {
                e.problems().forEach(err::println);
                invalid++;
            } catch (PluginDiscoveryException e) {
                err.println(file + ": " + e.getMessage());
                invalid++;
            }
        }
        out.flush();
        err.flush();
        return invalid == 0 ? 0 : 1;
    }

    private static String summary(LbConfig config) {
        int backends = config.pools().values().stream().map(PoolConfig::backends).mapToInt(List::size).sum();
        return count(config.listeners().size(), "listener") + ", " + count(config.pools().size(), "pool") + ", "
                + count(backends, "backend") + ", " + count(config.notifiers().size(), "notifier");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

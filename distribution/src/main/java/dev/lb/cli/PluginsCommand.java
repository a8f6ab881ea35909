package dev.lb.cli;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.plugin.PluginDiscovery;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import dev.lb.runtime.plugin.PluginListing;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lb plugins}: every plugin found, its kind and where it came from. */
@Command(name = "plugins", description = "List every plugin found: its kind, name, where it came from and what it does.")
final class PluginsCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Also look for third-party plugins in DIR.")
        Path pluginsDir;

        @Option(names = "--config", paramLabel = "CONFIG", description = "Use the plugins directory CONFIG names.")
        Path config;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Optional<Path> dir = source == null ? Optional.empty()
                    : source.pluginsDir != null ? Optional.of(source.pluginsDir)
                    : new ConfigLoader().parse(source.config).pluginsDir();
            spec.commandLine().getOut().print(PluginListing.format(PluginDiscovery.forRuntime().discover(dir)));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ConfigException e) {
            e.problems().forEach(spec.commandLine().getErr()::println);
        } catch (PluginDiscoveryException e) {
            spec.commandLine().getErr().println(e.getMessage());
        }
        spec.commandLine().getErr().flush();
        return 1;
    }
}

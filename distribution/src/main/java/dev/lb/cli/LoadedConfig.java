package dev.lb.cli;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigLoader;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ParsedConfig;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.plugin.PluginDiscovery;
import dev.lb.runtime.plugin.PluginDiscoveryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A configuration checked against the plugins it names, and those plugins: what {@code run}, {@code validate} and
 * {@code demo} all start from.
 *
 * <p>The plugins directory is named inside the file while the file can only be checked once the plugins are known, so
 * loading goes: read the YAML, find the plugins (built-in and from that directory), then check the whole file.
 */
record LoadedConfig(LbConfig config, PluginCatalog catalog) {

    static LoadedConfig fromFile(Path file) throws ConfigException, PluginDiscoveryException {
        return from(new ConfigLoader().parse(file));
    }

    static LoadedConfig fromText(String fileName, String yaml) throws ConfigException, PluginDiscoveryException {
        return from(new ConfigLoader().parse(fileName, yaml, Path.of("").toAbsolutePath()));
    }

    private static LoadedConfig from(ParsedConfig parsed) throws ConfigException, PluginDiscoveryException {
        // A plugins directory that does not exist is left to the config check, which reports it with its location.
        Optional<Path> pluginsDir = parsed.pluginsDir().filter(Files::isDirectory);
        PluginCatalog catalog = PluginDiscovery.forRuntime().discover(pluginsDir);
        return new LoadedConfig(new ConfigLoader().load(parsed, catalog), catalog);
    }
}

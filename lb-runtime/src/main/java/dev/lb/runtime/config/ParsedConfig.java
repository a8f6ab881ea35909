package dev.lb.runtime.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A configuration file read as YAML but not yet checked: what is needed before the plugin catalog exists. The
 * plugins directory is named in the file and the catalog is needed to check it, so a caller reads the file, finds
 * the plugins with {@link #pluginsDir()}, then hands both to {@link ConfigLoader#load(ParsedConfig,
 * dev.lb.runtime.plugin.PluginCatalog)}.
 *
 * @param source the file, or null when the text did not come from a file
 * @param baseDir the folder relative paths in the file resolve against
 * @param root the top-level block
 */
public record ParsedConfig(Path source, Path baseDir, ConfigMap root) {

    public ParsedConfig {
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(root, "root");
    }

    /**
     * The plugins directory the file names ({@code plugins.dir}), resolved against {@link #baseDir()}; empty when it
     * names none or names it wrongly (which {@link ConfigLoader#load} reports).
     */
    public Optional<Path> pluginsDir() {
        return root.peek("plugins")
                .filter(ConfigMap.class::isInstance)
                .flatMap(block -> ((ConfigMap) block).peek("dir"))
                .filter(dir -> dir instanceof ConfigScalar s && s.type() == ConfigScalar.Type.STRING)
                .map(dir -> baseDir.resolve(((ConfigScalar) dir).text()).normalize());
    }
}

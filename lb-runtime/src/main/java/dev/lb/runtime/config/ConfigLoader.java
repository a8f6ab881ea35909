package dev.lb.runtime.config;

import dev.lb.runtime.plugin.PluginCatalog;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and checks a configuration: YAML in, a validated {@link LbConfig} out, or a {@link ConfigException} listing
 * every problem found, each located {@code file:line:column}. Checking includes creating (and closing at once) every
 * plugin the configuration names, through a {@link PluginInstantiator}.
 *
 * <p>Thread-safe: each call works on its own tree.
 */
public final class ConfigLoader {

    private final HostResolver resolver;

    /** A loader that resolves host names with the system resolver. */
    public ConfigLoader() {
        this(HostResolver.system());
    }

    /** A loader that resolves host names with {@code resolver}. */
    public ConfigLoader(HostResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Reads and checks {@code file}; its name as given is used in locations, its folder for relative paths. */
    public LbConfig load(Path file, PluginCatalog catalog) throws ConfigException {
        return load(parse(file), catalog);
    }

    /**
     * Reads and checks {@code yamlText} as if it were the file {@code fileName} in {@code baseDir}.
     *
     * @param fileName the name to print in locations, e.g. {@code lb.yaml}
     * @param baseDir the folder relative paths resolve against
     */
    public LbConfig load(String fileName, String yamlText, Path baseDir, PluginCatalog catalog)
            throws ConfigException {
        return load(parse(fileName, yamlText, baseDir), catalog);
    }

    /** Checks a configuration read by {@link #parse(Path)}. */
    public LbConfig load(ParsedConfig parsed, PluginCatalog catalog) throws ConfigException {
        ConfigBinder binder = new ConfigBinder(resolver, new PluginInstantiator(catalog));
        return binder.bind(parsed.root(), parsed.source(), parsed.baseDir());
    }

    /**
     * Checks a configuration given as plain Java values, shaped as the YAML would be (see
     * {@link ConfigNode#fromJava(String, Object)}); problems carry paths but no locations.
     */
    public LbConfig fromValues(Map<String, ?> values, Path baseDir, PluginCatalog catalog) throws ConfigException {
        return load(new ParsedConfig(null, baseDir, ConfigMap.of("", values)), catalog);
    }

    /** Reads {@code file} as YAML without checking it. */
    public ParsedConfig parse(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (CharacterCodingException e) {
            throw unreadable(file, "it is not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, Files.isDirectory(file) ? "it is a directory" : e.toString());
        }
        Path folder = file.toAbsolutePath().getParent();
        return new ParsedConfig(file, folder, YamlTreeReader.read(file.toString(), text));
    }

    /** Reads {@code yamlText} as YAML without checking it, as if it were the file {@code fileName} in baseDir. */
    public ParsedConfig parse(String fileName, String yamlText, Path baseDir) throws ConfigException {
        return new ParsedConfig(baseDir.resolve(fileName), baseDir, YamlTreeReader.read(fileName, yamlText));
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(List.of(new ConfigProblem(null, "",
                "cannot read the configuration file " + file.toAbsolutePath() + ": " + why)));
    }
}

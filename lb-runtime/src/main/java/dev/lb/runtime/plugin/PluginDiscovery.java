package dev.lb.runtime.plugin;

import dev.lb.spi.PluginKind;
import dev.lb.spi.PluginProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds every plugin provider: the built-in ones on the application class path, and the third-party ones in an
 * optional plugins directory.
 *
 * <p>In the plugins directory, every {@code *.jar} file is one plugin, and every subdirectory is one plugin made of
 * all the jars directly inside it (the plugin jar and its libraries). Each third-party plugin gets its own
 * {@link PluginClassLoader}, which shares only the SPI and slf4j with the runtime. Other files are skipped.
 *
 * <p>Discovery does not stop at the first problem: it reports every unreadable jar, broken
 * {@code META-INF/services} entry, plugin without a provider and clash of names together, in one
 * {@link PluginDiscoveryException}. The class loaders of a successful discovery stay open for the life of the process,
 * as the providers they define are in use.
 */
public final class PluginDiscovery {

    private static final Logger log = LoggerFactory.getLogger(PluginDiscovery.class);

    /** A broken services file yields one error per line at most; this only guards against a looping iterator. */
    private static final int MAX_ERRORS_PER_SERVICE = 100;

    /** The services files a plugin may register in, for messages. */
    private static final String SERVICE_FILES = Stream.of(PluginKind.values())
            .map(kind -> "META-INF/services/" + kind.providerType().getName())
            .collect(Collectors.joining(", "));

    private final ClassLoader runtimeLoader;

    /**
     * @param runtimeLoader the class loader of the runtime: built-in plugins are looked up in it, and the plugins'
     *     class loaders delegate the SPI and slf4j to it
     */
    public PluginDiscovery(ClassLoader runtimeLoader) {
        this.runtimeLoader = Objects.requireNonNull(runtimeLoader, "runtimeLoader");
    }

    /** Discovery against the class loader that loaded the runtime, as the server and the CLI use it. */
    public static PluginDiscovery forRuntime() {
        return new PluginDiscovery(PluginDiscovery.class.getClassLoader());
    }

    /**
     * Finds the built-in plugins and, when {@code pluginsDirectory} is given, the third-party ones in it.
     *
     * @throws PluginDiscoveryException listing every problem found, when there is any
     */
    public PluginCatalog discover(Optional<Path> pluginsDirectory) throws PluginDiscoveryException {
        Run run = new Run();
        for (PluginKind kind : PluginKind.values()) {
            run.loadProviders(kind, runtimeLoader, "built-in plugins on the class path",
                    provider -> "built-in (" + codeSourceName(provider.getClass()) + ")");
        }
        pluginsDirectory.ifPresent(run::scanDirectory);
        run.checkUniqueNames();
        if (!run.problems.isEmpty()) {
            run.closeLoaders();
            throw new PluginDiscoveryException(run.problems);
        }
        return PluginCatalog.of(run.found);
    }

    /** The jar's file name, or the class directory's path when run from a build or an IDE. */
    static String codeSourceName(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return "class path";
        }
        try {
            Path location = Path.of(codeSource.getLocation().toURI());
            return Files.isDirectory(location) ? location.toString() : String.valueOf(location.getFileName());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return codeSource.getLocation().toString();
        }
    }

    /** The state of one discovery. */
    private final class Run {
        private final List<String> problems = new ArrayList<>();
        private final List<LoadedPlugin> found = new ArrayList<>();
        private final List<PluginClassLoader> loaders = new ArrayList<>();

        void scanDirectory(Path directory) {
            if (!Files.exists(directory)) {
                problems.add("plugins directory " + directory + " does not exist: create it, or point the plugins"
                        + " directory setting at the one that holds your plugin jars");
                return;
            }
            if (!Files.isDirectory(directory)) {
                problems.add("plugins directory " + directory + " is not a directory: point the plugins directory"
                        + " setting at a directory holding plugin jars");
                return;
            }
            List<Path> entries;
            try (Stream<Path> list = Files.list(directory)) {
                entries = list.sorted().toList();
            } catch (IOException e) {
                problems.add("cannot list plugins directory " + directory + ": " + e);
                return;
            }
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    loadPlugin("plugin directory " + entry, entry, jarsIn(entry));
                } else if (isJar(entry)) {
                    loadPlugin("plugin jar " + entry, entry, List.of(entry));
                } else {
                    log.debug("Skipping {}: not a jar file nor a plugin directory", entry);
                }
            }
        }

        private List<Path> jarsIn(Path pluginDirectory) {
            try (Stream<Path> list = Files.list(pluginDirectory)) {
                List<Path> jars = list.filter(PluginDiscovery::isJar).sorted().toList();
                if (jars.isEmpty()) {
                    problems.add("plugin directory " + pluginDirectory + " holds no jar file: put the plugin jar and"
                            + " its library jars in it, or remove the directory");
                }
                return jars;
            } catch (IOException e) {
                problems.add("cannot list plugin directory " + pluginDirectory + ": " + e);
                return List.of();
            }
        }

        private void loadPlugin(String where, Path location, List<Path> jars) {
            if (jars.isEmpty()) {
                return;
            }
            List<URL> urls = new ArrayList<>();
            boolean valid = true;
            for (Path jar : jars) {
                valid &= checkJar(jar, location.equals(jar) ? "plugin jar " + jar : where + ": " + jar);
                try {
                    urls.add(jar.toUri().toURL());
                } catch (MalformedURLException e) {
                    problems.add("cannot use " + jar + " as a class path entry: " + e.getMessage());
                    valid = false;
                }
            }
            if (!valid) {
                return;
            }
            PluginClassLoader loader = new PluginClassLoader(location.getFileName().toString(), urls, runtimeLoader);
            loaders.add(loader);
            int problemsBefore = problems.size();
            int foundBefore = found.size();
            for (PluginKind kind : PluginKind.values()) {
                loadProviders(kind, loader, where, provider -> location.toString());
            }
            if (found.size() == foundBefore && problems.size() == problemsBefore) {
                problems.add(where + " registers no plugin: list its provider class in " + SERVICE_FILES
                        + ", or remove it from the plugins directory");
            } else if (problems.size() == problemsBefore) {
                log.debug("Loaded {} plugin(s) from {}", found.size() - foundBefore, where);
            }
        }

        /** @param named the jar as messages name it, e.g. {@code plugin jar plugins.d/x.jar} */
        private boolean checkJar(Path jar, String named) {
            // Opening reads the central directory, which is where a truncated or non-zip file fails.
            try {
                new JarFile(jar.toFile()).close();
                return true;
            } catch (IOException e) {
                problems.add(named + " is not a valid jar file (" + e.getMessage() + "): replace it with the plugin's"
                        + " jar as built, or remove it from the plugins directory");
                return false;
            }
        }

        void loadProviders(PluginKind kind, ClassLoader loader, String where,
                Function<PluginProvider, String> source) {
            Iterator<? extends PluginProvider> providers = ServiceLoader.load(kind.providerType(), loader).iterator();
            int errors = 0;
            while (errors < MAX_ERRORS_PER_SERVICE) {
                try {
                    if (!providers.hasNext()) {
                        return;
                    }
                    PluginProvider provider = providers.next();
                    accept(kind, provider, where, source.apply(provider));
                } catch (ServiceConfigurationError | LinkageError e) {
                    // The iterator has moved past the faulty line: report it and carry on with the next.
                    problems.add(where + ": cannot load " + kind.displayName() + " provider: "
                            + ProviderErrors.explain(kind, e));
                    errors++;
                }
            }
        }

        private void accept(PluginKind kind, PluginProvider provider, String where, String source) {
            String className = provider.getClass().getName();
            String name;
            try {
                name = provider.name();
                Objects.requireNonNull(provider.description(), "description() returned null");
            } catch (RuntimeException | LinkageError e) {
                problems.add(where + ": " + kind.displayName() + " provider " + className + " fails to describe"
                        + " itself: " + e + ": name() and description() must return plain constants");
                return;
            }
            if (name == null || name.isBlank()) {
                problems.add(where + ": " + kind.displayName() + " provider " + className + " has no name:"
                        + " name() must return the name configuration selects it by, e.g. round-robin");
                return;
            }
            found.add(new LoadedPlugin(kind, provider, source));
        }

        void checkUniqueNames() {
            Map<String, List<LoadedPlugin>> byKey = new LinkedHashMap<>();
            for (LoadedPlugin plugin : found) {
                byKey.computeIfAbsent(plugin.kind() + "/" + plugin.name(), key -> new ArrayList<>()).add(plugin);
            }
            for (List<LoadedPlugin> same : byKey.values()) {
                if (same.size() > 1) {
                    LoadedPlugin first = same.getFirst();
                    String sources = same.stream().map(LoadedPlugin::source).collect(Collectors.joining(" and "));
                    problems.add(same.size() + " " + first.kind().displayName() + " plugins are named \""
                            + first.name() + "\": " + sources + "; remove all but one from the plugins directory,"
                            + " or rename the third-party one");
                }
            }
        }

        void closeLoaders() {
            for (PluginClassLoader loader : loaders) {
                try {
                    loader.close();
                } catch (IOException e) {
                    log.debug("Cannot close {}", loader, e);
                }
            }
        }
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }
}

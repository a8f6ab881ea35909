package dev.lb.harness.plugins;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a third-party plugin inside a test, from Java source text, exactly as a plugin author's build would: compiled
 * against the plugin SPI ({@code lb-spi}, plus slf4j-api when present) and the given libraries only, with its
 * providers registered in {@code META-INF/services}.
 *
 * <p>Three layouts can be written, matching what the plugins directory accepts:
 * <ul>
 *   <li>{@link #buildJar(Path)}: the plugin's own classes only, for plugins that need no library;</li>
 *   <li>{@link #buildFatJar(Path)}: one jar holding the plugin's classes and those of every {@link #library(Path)
 *       library}, their {@code META-INF/services} files merged;</li>
 *   <li>{@link #buildDirectory(Path, String)}: a directory holding the plugin jar and a copy of each library jar.</li>
 * </ul>
 *
 * <p>Example, a plugin carrying its own Jackson:
 * <pre>{@code
 * Path jar = PluginJarBuilder.create()
 *         .source("com.example.FirstProvider", """
 *                 package com.example;
 *                 public final class FirstProvider implements dev.lb.spi.AlgorithmProvider { ... }
 *                 """)
 *         .service(AlgorithmProvider.class, "com.example.FirstProvider")
 *         .library(Path.of("target/test-libs/jackson-core-2.15.4.jar"))
 *         .buildFatJar(pluginsDir.resolve("first.jar"));
 * }</pre>
 *
 * <p>Nothing is checked beyond compilation: a service entry may name a class that does not exist, which is how tests
 * of broken plugins are written. Needs a JDK (not a bare JRE) to run, for {@link ToolProvider#getSystemJavaCompiler()}.
 * A builder may build several layouts; the sources are compiled once, on the first build.
 */
public final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, Set<String>> services = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final List<Path> libraries = new ArrayList<>();
    private Map<String, byte[]> compiled;

    private PluginJarBuilder() {
    }

    /** A builder with nothing in it. */
    public static PluginJarBuilder create() {
        return new PluginJarBuilder();
    }

    /**
     * Adds the source of one top-level class.
     *
     * @param className the class's binary name, e.g. {@code com.example.FirstProvider}; must match the source's
     *     package and class declaration, as for any Java file
     * @param code the whole compilation unit, package declaration included
     */
    public PluginJarBuilder source(String className, String code) {
        requireUnbuilt();
        sources.put(Objects.requireNonNull(className, "className"), Objects.requireNonNull(code, "code"));
        return this;
    }

    /**
     * Registers {@code classNames} as providers of {@code serviceType} in {@code META-INF/services}, e.g.
     * {@code service(AlgorithmProvider.class, "com.example.FirstProvider")}.
     */
    public PluginJarBuilder service(Class<? extends PluginProvider> serviceType, String... classNames) {
        services.computeIfAbsent(serviceType.getName(), name -> new LinkedHashSet<>()).addAll(List.of(classNames));
        return this;
    }

    /** Adds a resource file to the plugin jar, e.g. a default configuration the plugin reads. */
    public PluginJarBuilder resource(String name, byte[] content) {
        resources.put(Objects.requireNonNull(name, "name"), content.clone());
        return this;
    }

    /** Adds a text resource, written as UTF-8. */
    public PluginJarBuilder resource(String name, String content) {
        return resource(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds a library jar the plugin is compiled against and ships with: embedded by {@link #buildFatJar(Path)}, copied
     * beside the plugin jar by {@link #buildDirectory(Path, String)}, left out by {@link #buildJar(Path)}.
     */
    public PluginJarBuilder library(Path jar) {
        requireUnbuilt();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("library " + jar + " does not exist");
        }
        libraries.add(jar);
        return this;
    }

    /**
     * Writes a jar holding the plugin's classes, services and resources only.
     *
     * @return {@code jarFile}
     */
    public Path buildJar(Path jarFile) {
        writeJar(jarFile, List.of());
        return jarFile;
    }

    /**
     * Writes one jar holding the plugin and every library's classes and resources. Libraries' manifests, signatures
     * and {@code module-info} classes are left out; their {@code META-INF/services} files are merged with the
     * plugin's; for any other entry present twice, the plugin's (then the first library's) wins.
     *
     * @return {@code jarFile}
     */
    public Path buildFatJar(Path jarFile) {
        writeJar(jarFile, libraries);
        return jarFile;
    }

    /**
     * Writes a plugin directory: {@code directory/jarName} holding the plugin, and a copy of each library jar beside
     * it under its own file name.
     *
     * @return {@code directory}
     */
    public Path buildDirectory(Path directory, String jarName) {
        try {
            Files.createDirectories(directory);
            writeJar(directory.resolve(jarName), List.of());
            for (Path library : libraries) {
                Files.copy(library, directory.resolve(library.getFileName().toString()));
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plugin directory " + directory, e);
        }
    }

    private void requireUnbuilt() {
        if (compiled != null) {
            throw new IllegalStateException("sources and libraries cannot change after the first build");
        }
    }

    private void writeJar(Path jarFile, List<Path> embedded) {
        Map<String, byte[]> classes = compile();
        Map<String, byte[]> entries = new LinkedHashMap<>(classes);
        entries.putAll(resources);
        Map<String, Set<String>> mergedServices = new LinkedHashMap<>();
        services.forEach((name, lines) -> mergedServices.put(name, new LinkedHashSet<>(lines)));
        for (Path library : embedded) {
            copyLibrary(library, entries, mergedServices);
        }
        mergedServices.forEach((service, lines) -> entries.put("META-INF/services/" + service,
                lines.stream().map(line -> line + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8)));

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Created-By", PluginJarBuilder.class.getName());
        try {
            if (jarFile.getParent() != null) {
                Files.createDirectories(jarFile.getParent());
            }
            try (OutputStream file = Files.newOutputStream(jarFile);
                    JarOutputStream jar = new JarOutputStream(file, manifest)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    jar.putNextEntry(new JarEntry(entry.getKey()));
                    jar.write(entry.getValue());
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plugin jar " + jarFile, e);
        }
    }

    private static void copyLibrary(Path library, Map<String, byte[]> entries, Map<String, Set<String>> services) {
        try (JarFile jar = new JarFile(library.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (entry.isDirectory() || isLeftOutOfFatJar(name)) {
                    continue;
                }
                byte[] content;
                try (InputStream in = jar.getInputStream(entry)) {
                    content = in.readAllBytes();
                }
                if (name.startsWith("META-INF/services/")) {
                    new String(content, StandardCharsets.UTF_8).lines()
                            .map(line -> line.replaceFirst("#.*", "").strip())
                            .filter(line -> !line.isEmpty())
                            .forEach(services.computeIfAbsent(name.substring("META-INF/services/".length()),
                                    service -> new LinkedHashSet<>())::add);
                } else {
                    entries.putIfAbsent(name, content);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read library " + library, e);
        }
    }

    /** A library's own jar metadata does not belong in someone else's jar. */
    private static boolean isLeftOutOfFatJar(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF")
                || name.endsWith("module-info.class")
                || upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA")
                        || upper.endsWith(".DSA") || upper.endsWith(".EC"));
    }

    private Map<String, byte[]> compile() {
        if (compiled != null) {
            return compiled;
        }
        if (sources.isEmpty()) {
            compiled = Map.of();
            return compiled;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: PluginJarBuilder must run on a JDK, not a JRE");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("plugin-jar-builder");
            Path sourceDir = Files.createDirectories(work.resolve("src"));
            Path classDir = Files.createDirectories(work.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceDir.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                files.add(Files.writeString(file, source.getValue()));
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                List<String> options = List.of(
                        "--release", "21", "-proc:none", "-encoding", "UTF-8",
                        "-classpath", compileClassPath(),
                        "-d", classDir.toString());
                boolean ok = compiler.getTask(null, fileManager, diagnostics, options, null,
                        fileManager.getJavaFileObjectsFromPaths(files)).call();
                if (!ok) {
                    throw new IllegalArgumentException("plugin sources do not compile:\n" + format(diagnostics));
                }
            }
            compiled = readTree(classDir);
            return compiled;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compile plugin sources", e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** lb-spi and slf4j-api as found on the current class path, plus the libraries: what a plugin may use. */
    private String compileClassPath() {
        List<String> entries = new ArrayList<>();
        entries.add(locationOf(AlgorithmProvider.class).toString());
        try {
            entries.add(locationOf(Class.forName("org.slf4j.Logger")).toString());
        } catch (ClassNotFoundException e) {
            // slf4j is optional for a plugin: without it on the class path, sources simply cannot use it.
        }
        libraries.forEach(library -> entries.add(library.toString()));
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The jar or class directory {@code type} was loaded from. */
    static Path locationOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            throw new IllegalStateException("cannot tell where " + type.getName() + " was loaded from");
        }
        try {
            return Path.of(codeSource.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot use the location of " + type.getName(), e);
        }
    }

    private static String format(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                        + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
    }

    private static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                files.put(name, Files.readAllBytes(file));
            }
        }
        return Collections.unmodifiableMap(files);
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover in the temporary directory is harmless.
        }
    }
}

package dev.lb.runtime.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The class loader of one third-party plugin: it sees the JDK, the plugin's own jars and, from the runtime, only the
 * plugin SPI ({@code dev.lb.spi}) and slf4j.
 *
 * <p>The parent is the platform class loader, so the JDK is shared but nothing of the application class path is: a
 * plugin may carry its own version of a library the runtime also uses (Jackson, Netty, Guice...) without either side
 * noticing, and it cannot reach the runtime's internals. Classes and resources of the shared packages are delegated
 * to the runtime's class loader, so that {@code dev.lb.spi.AlgorithmProvider} is one and the same type on both sides
 * and plugin logging goes to the runtime's slf4j binding. Every other resource, notably
 * {@code META-INF/services/...}, is looked up in the plugin's jars only, so that {@link java.util.ServiceLoader} sees
 * the plugin's providers and not the built-in ones again.
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Packages shared with the runtime, as class-name prefixes. */
    private static final List<String> SHARED_PACKAGES = List.of("dev.lb.spi.", "org.slf4j.");

    /** The same packages as resource-name prefixes. */
    private static final List<String> SHARED_RESOURCES =
            SHARED_PACKAGES.stream().map(prefix -> prefix.replace('.', '/')).toList();

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader runtimeLoader;

    /**
     * @param pluginName how the plugin is known, for diagnostics (the jar or directory name)
     * @param urls the plugin's jars
     * @param runtimeLoader the class loader that defines the SPI and slf4j, to which those packages are delegated
     */
    public PluginClassLoader(String pluginName, List<URL> urls, ClassLoader runtimeLoader) {
        super(pluginName, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.runtimeLoader = Objects.requireNonNull(runtimeLoader, "runtimeLoader");
    }

    /** Whether {@code className} belongs to a package shared with the runtime. */
    public static boolean isSharedClass(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private static boolean isSharedResource(String resourceName) {
        String name = resourceName.startsWith("/") ? resourceName.substring(1) : resourceName;
        return SHARED_RESOURCES.stream().anyMatch(name::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isSharedClass(name)) {
            // Never define an SPI class here, even if the plugin jar (wrongly) embeds a copy of lb-spi.
            return runtimeLoader.loadClass(name);
        }
        // Parent first, where the parent is the platform loader: the JDK cannot be overridden, the rest is ours.
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return runtimeLoader.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isSharedResource(name)) {
            return runtimeLoader.getResources(name);
        }
        return super.getResources(name);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + getName() + "]";
    }
}

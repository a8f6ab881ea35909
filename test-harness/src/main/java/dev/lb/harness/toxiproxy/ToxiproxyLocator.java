package dev.lb.harness.toxiproxy;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Decides which Toxiproxy server the harness uses: an already running one named by a URL, or a {@code toxiproxy-server}
 * binary to launch.
 *
 * <p>Looked at in this order, first match wins:
 * <ol>
 *   <li>system property {@value #URL_PROPERTY}, then environment variable {@value #URL_ENV}: the API address of a
 *       running server ({@code http://127.0.0.1:8474} or {@code 127.0.0.1:8474}), which is connected to, not launched;
 *   <li>system property {@value #BINARY_PROPERTY}, then environment variable {@value #BINARY_ENV}: the binary's path;
 *   <li>{@code toxiproxy-server} on the {@code PATH};
 *   <li>the copy that {@code tools/install-toxiproxy.sh} caches, {@code $XDG_CACHE_HOME/lb/toxiproxy-server} (or
 *       {@code ~/.cache/lb/toxiproxy-server}).
 * </ol>
 * A path named explicitly that is not an executable file is an error, never silently skipped.
 */
final class ToxiproxyLocator {

    static final String URL_PROPERTY = "lb.toxiproxy.url";
    static final String URL_ENV = "TOXIPROXY_URL";
    static final String BINARY_PROPERTY = "lb.toxiproxy.server";
    static final String BINARY_ENV = "TOXIPROXY_SERVER";
    static final String BINARY_NAME = "toxiproxy-server";

    static final String HOW_TO_FIX = "Run tools/install-toxiproxy.sh (it builds " + BINARY_NAME
            + " with Go and prints its path) and pass that path as " + BINARY_ENV + "=<path> (or -D" + BINARY_PROPERTY
            + "=<path>), put " + BINARY_NAME + " on the PATH, or point " + URL_ENV
            + " at a running server (http://127.0.0.1:8474).";

    /** Where the server comes from: exactly one of {@code url} and {@code binary} is present. */
    record Target(Optional<URI> url, Optional<Path> binary, String source) {}

    private final Map<String, String> env;
    private final Properties properties;

    ToxiproxyLocator(Map<String, String> env, Properties properties) {
        this.env = env;
        this.properties = properties;
    }

    /** Reads the real environment and system properties. */
    static ToxiproxyLocator fromSystem() {
        return new ToxiproxyLocator(System.getenv(), System.getProperties());
    }

    /**
     * Finds the server to use.
     *
     * @throws IllegalStateException naming what was looked at and how to fix it, when nothing usable is found
     */
    Target locate() {
        Optional<Target> url = setting(URL_PROPERTY, URL_ENV).map(s -> new Target(
                Optional.of(parseUrl(s.value(), s.name())), Optional.empty(), s.name()));
        if (url.isPresent()) {
            return url.get();
        }
        return locateBinary();
    }

    /**
     * Finds the binary only, ignoring any URL setting.
     *
     * @throws IllegalStateException naming what was looked at and how to fix it, when there is none
     */
    Target locateBinary() {
        Optional<Setting> explicit = setting(BINARY_PROPERTY, BINARY_ENV);
        if (explicit.isPresent()) {
            Path path = Path.of(explicit.get().value());
            if (!isExecutableFile(path)) {
                throw new IllegalStateException(explicit.get().name() + " names " + path + ", which is not an "
                        + (Files.exists(path) ? "executable file" : "existing file") + ". " + HOW_TO_FIX);
            }
            return new Target(Optional.empty(), Optional.of(path), explicit.get().name());
        }
        Optional<Path> onPath = onPath();
        if (onPath.isPresent()) {
            return new Target(Optional.empty(), onPath, "PATH");
        }
        Path cached = cachedBinary();
        if (isExecutableFile(cached)) {
            return new Target(Optional.empty(), Optional.of(cached), "the install script's cache");
        }
        throw new IllegalStateException("No Toxiproxy server found: " + BINARY_ENV + " is not set (nor -D"
                + BINARY_PROPERTY + "), there is no " + BINARY_NAME
                + " on the PATH, and no " + cached + ". " + HOW_TO_FIX);
    }

    /** The cache path tools/install-toxiproxy.sh installs to; keep the two in step. */
    Path cachedBinary() {
        String xdg = env.get("XDG_CACHE_HOME");
        Path cacheRoot = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(properties.getProperty("user.home", "."), ".cache");
        return cacheRoot.resolve("lb").resolve(BINARY_NAME);
    }

    private Optional<Path> onPath() {
        String path = env.get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, BINARY_NAME);
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Optional<Setting> setting(String property, String envVar) {
        String fromProperty = properties.getProperty(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Optional.of(new Setting("-D" + property, fromProperty.strip()));
        }
        String fromEnv = env.get(envVar);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(new Setting(envVar, fromEnv.strip()));
        }
        return Optional.empty();
    }

    /** Accepts {@code http://host:port} (a trailing slash is fine) or a bare {@code host:port}. */
    static URI parseUrl(String value, String source) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not a URL: '" + value
                    + "'. Expected the Toxiproxy API address, e.g. http://127.0.0.1:8474.", e);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalStateException(source + " must be an http URL with a host and a port, e.g. "
                    + "http://127.0.0.1:8474, but is '" + value + "'.");
        }
        return URI.create("http://" + uri.getHost() + ":" + uri.getPort());
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    private record Setting(String name, String value) {}
}

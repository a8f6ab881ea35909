package dev.lb.harness.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Toxiproxy server for tests: launched from its binary on a free port of 127.0.0.1 and killed on
 * {@link #close()}, or an already running one that is only connected to.
 *
 * <pre>{@code
 * try (ToxiproxyServer toxiproxy = ToxiproxyServer.start();
 *      DummyHttpBackend backend = DummyHttpBackend.start("a")) {
 *     FaultProxy link = toxiproxy.proxy("a", backend.address());
 *     // point the load balancer at link.address() instead of backend.address(), then:
 *     link.latency(Direction.DOWNSTREAM, Duration.ofMillis(300), Duration.ZERO);
 *     link.down();
 *     link.heal();
 * }
 * }</pre>
 *
 * <p>{@link #start()} finds the server as {@link ToxiproxyLocator} describes: {@code TOXIPROXY_URL} to use a running
 * one, else the binary from {@code -Dlb.toxiproxy.server}, {@code TOXIPROXY_SERVER}, {@code toxiproxy-server} on the
 * {@code PATH} or the install script's cache. When there is none it fails with a message that says how to get one
 * ({@code tools/install-toxiproxy.sh}); it never quietly skips.
 *
 * <p>A launched server writes its output to a log file (see {@link #log()}), deleted on {@link #close()}; when the
 * server fails to start, the error quotes the end of it. A JVM shutdown hook kills the process if {@code close()} is
 * never called. On a server it only connected to, {@code close()} deletes the proxies this instance made and leaves
 * the server running.
 */
public final class ToxiproxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ToxiproxyServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int PORT_ATTEMPTS = 3;

    private final URI apiUrl;
    private final ToxiproxyClient client;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;
    private final Set<FaultProxy> proxies = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ToxiproxyServer(URI apiUrl, Process process, Path logFile) {
        this.apiUrl = apiUrl;
        this.client = new ToxiproxyClient(apiUrl.getHost(), apiUrl.getPort());
        this.process = process;
        this.logFile = logFile;
        if (process != null) {
            this.shutdownHook = new Thread(() -> kill(process), "toxiproxy-server-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /**
     * Connects to the server named by {@code TOXIPROXY_URL} (or {@code -Dlb.toxiproxy.url}) if set, else launches the
     * {@code toxiproxy-server} binary it finds.
     *
     * @throws IllegalStateException when no server can be found, saying how to install one, or when it does not start
     */
    public static ToxiproxyServer start() {
        ToxiproxyLocator.Target target = ToxiproxyLocator.fromSystem().locate();
        if (target.url().isPresent()) {
            return connect(target.url().get());
        }
        return launch(target.binary().orElseThrow());
    }

    /**
     * Uses an already running server at {@code apiUrl} (e.g. {@code http://127.0.0.1:8474}), after checking that it
     * answers.
     *
     * @throws IllegalStateException when it does not answer within a few seconds
     */
    public static ToxiproxyServer connect(URI apiUrl) {
        return connect(apiUrl, CONNECT_TIMEOUT);
    }

    static ToxiproxyServer connect(URI apiUrl, Duration timeout) {
        URI normalized = ToxiproxyLocator.parseUrl(apiUrl.toString(), "the Toxiproxy URL");
        if (!awaitApi(normalized, null, timeout)) {
            throw new IllegalStateException("No Toxiproxy server answers at " + normalized + "/version within "
                    + timeout.toMillis() + " ms. Start one there, or unset " + ToxiproxyLocator.URL_ENV
                    + " to let the harness launch its own. " + ToxiproxyLocator.HOW_TO_FIX);
        }
        return new ToxiproxyServer(normalized, null, null);
    }

    /**
     * Launches {@code binary} with its API on a free port of 127.0.0.1 and waits (bounded) until the API answers.
     *
     * @throws IllegalStateException when it exits or does not answer in time, quoting the end of its log
     */
    public static ToxiproxyServer launch(Path binary) {
        return launch(binary, Path.of(System.getProperty("java.io.tmpdir")));
    }

    static ToxiproxyServer launch(Path binary, Path logDir) {
        Objects.requireNonNull(binary, "binary");
        IllegalStateException last = null;
        // A free port found here can be taken by someone else before the server binds it; try a few times.
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            try {
                return launchOnce(binary, freePort(), logDir);
            } catch (PortTakenException e) {
                last = e;
                log.debug("toxiproxy-server could not bind its port (attempt {}): {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    private static ToxiproxyServer launchOnce(Path binary, int port, Path logDir) {
        Path logFile;
        try {
            logFile = Files.createTempFile(logDir, "toxiproxy-server-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a log file for toxiproxy-server in " + logDir + ": "
                    + e.getMessage(), e);
        }
        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "-host", "127.0.0.1", "-port", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            deleteQuietly(logFile);
            throw new IllegalStateException("Cannot run " + binary + ": " + e.getMessage() + ". "
                    + ToxiproxyLocator.HOW_TO_FIX, e);
        }
        URI apiUrl = URI.create("http://127.0.0.1:" + port);
        if (awaitApi(apiUrl, process, START_TIMEOUT)) {
            log.debug("toxiproxy-server {} listening at {}, log {}", binary, apiUrl, logFile);
            return new ToxiproxyServer(apiUrl, process, logFile);
        }
        boolean exited = !process.isAlive();
        kill(process);
        // The message quotes the log's end, so the file itself is not left behind.
        String tail = tail(logFile);
        deleteQuietly(logFile);
        if (exited && tail.contains("address already in use")) {
            throw new PortTakenException(port, tail);
        }
        throw new IllegalStateException(binary + (exited
                ? " exited with status " + process.exitValue() + " before its API answered"
                : " did not answer at " + apiUrl + "/version within " + START_TIMEOUT.toSeconds() + "s")
                + ". Its output ends with:\n" + tail);
    }

    /** The API address, {@code http://127.0.0.1:PORT}. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** The toxiproxy-java client, for what {@link FaultProxy} does not cover. */
    public ToxiproxyClient client() {
        return client;
    }

    /** Whether this instance launched the server (and so kills it on {@link #close()}). */
    public boolean launched() {
        return process != null;
    }

    /** The launched server's log file; empty for a server only connected to. */
    public Optional<Path> log() {
        return Optional.ofNullable(logFile);
    }

    /**
     * Creates a proxy named {@code name} that listens on a free port of 127.0.0.1 and forwards to {@code upstream},
     * with no fault. A proxy of that name left on the server before is deleted first.
     *
     * @throws UncheckedIOException when the server refuses (a message says which proxy and why)
     */
    public FaultProxy proxy(String name, InetSocketAddress upstream) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstream, "upstream");
        ensureOpen();
        String upstreamText = upstream.getHostString() + ":" + upstream.getPort();
        try {
            Proxy stale = client.getProxyOrNull(name);
            if (stale != null) {
                stale.delete();
            }
            Proxy created = client.createProxy(name, "127.0.0.1:0", upstreamText);
            FaultProxy proxy = new FaultProxy(client, created, upstream, proxies::remove);
            proxies.add(proxy);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Toxiproxy at " + apiUrl + " cannot create proxy '" + name + "' to "
                    + upstreamText + ": " + e.getMessage(), e);
        }
    }

    /** Kills a launched server (deleting its log) or deletes this instance's proxies from a connected one. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (process == null) {
            // Try every proxy even when one fails, then report the first failure with the others attached.
            RuntimeException failure = null;
            for (FaultProxy proxy : List.copyOf(proxies)) {
                try {
                    proxy.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to run and kills the process anyway.
        }
        kill(process);
        deleteQuietly(logFile);
    }

    @Override
    public String toString() {
        return "ToxiproxyServer[" + apiUrl + (launched() ? ", launched" : ", connected") + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Polls {@code GET /version} until it answers 200, the process (if any) exits, or {@code timeout} passes. */
    private static boolean awaitApi(URI apiUrl, Process process, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(apiUrl.resolve("/version")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (http) {
            while (System.nanoTime() < deadline) {
                if (process != null && !process.isAlive()) {
                    return false;
                }
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return true;
                    }
                } catch (IOException notYet) {
                    // Not listening yet: poll again.
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1 for toxiproxy-server", e);
        }
    }

    private static void kill(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("Cannot delete {}: {}", file, e.toString());
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 20), lines.size());
            return last.isEmpty() ? "(nothing)" : String.join("\n", last);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The chosen port was taken between choosing and binding it. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(int port, String tail) {
            super("toxiproxy-server could not bind 127.0.0.1:" + port + ":\n" + tail);
        }
    }
}

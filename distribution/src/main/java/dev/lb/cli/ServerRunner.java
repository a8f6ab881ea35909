package dev.lb.cli;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.ListenerBindException;
import dev.lb.runtime.transport.TransportKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a load balancer until the process is told to stop (SIGTERM, SIGINT), then shuts it down gracefully: stop
 * accepting, let open connections finish up to the configured drain timeout, then close the rest. Shared by
 * {@code lb run} and {@code lb demo}.
 */
final class ServerRunner {

    private static final Logger log = LoggerFactory.getLogger(ServerRunner.class);

    private ServerRunner() {
    }

    /** What runs beside a started load balancer and stops before it: reload triggers, the admin listener. */
    @FunctionalInterface
    interface Control {

        /** Nothing beside the load balancer. */
        Control NONE = lb -> () -> { };

        /**
         * Starts it for {@code lb}, which is already listening.
         *
         * @throws IOException or {@link ListenerBindException} when it cannot start
         */
        AutoCloseable start(LoadBalancer lb) throws IOException;
    }

    /**
     * Builds and starts the load balancer of {@code loaded} with {@code workers} event-loop threads (0: one per core)
     * doing their I/O with {@code transport}, then {@code control}, and blocks until the JVM shuts down.
     * {@code onStarted} is told once it listens; on shutdown {@code control} stops first (no reload races the drain),
     * then the load balancer drains and closes, then {@code afterStop} runs (the demo stops its backends there).
     *
     * @return 1 when it could not start (the reason is printed to {@code err}); 0 once stopped
     */
    static int runUntilStopped(LoadedConfig loaded, int workers, TransportKind transport, PrintWriter err,
            Control control, Consumer<LoadBalancer> onStarted, List<AutoCloseable> afterStop)
            throws InterruptedException {
        LoadBalancer lb;
        try {
            lb = start(loaded, workers, transport);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return 1;
        } catch (ListenerBindException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        AutoCloseable controlling;
        try {
            controlling = control.start(lb);
        } catch (IOException | RuntimeException e) {
            err.println(e instanceof IOException ? "cannot watch the configuration file: " + e.getMessage()
                    : e.getMessage());
            err.flush();
            lb.close(java.time.Duration.ZERO);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                controlling.close();
            } catch (Exception e) {
                log.warn("while stopping the control plane: {}", e.toString());
            }
            boolean drained = lb.close(loaded.config().drainTimeout());
            log.info(drained ? "stopped" : "stopped; connections still open after the drain timeout were closed");
            for (AutoCloseable resource : afterStop) {
                try {
                    resource.close();
                } catch (Exception e) {
                    log.warn("while stopping: {}", e.toString());
                }
            }
            stopped.countDown();
        }, "lb-shutdown"));
        onStarted.accept(lb);
        stopped.await();
        return 0;
    }

    /** {@code 127.0.0.1:8080}, or {@code [::1]:8080}: how addresses are written in configs and messages. */
    static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Builds the load balancer of {@code loaded} and binds its listeners. */
    static LoadBalancer start(LoadedConfig loaded) throws ConfigException {
        return start(loaded, 0, TransportKind.configured());
    }

    /**
     * Builds the load balancer of {@code loaded} with {@code workers} event-loop threads (0: one per core) doing their
     * I/O with {@code transport}.
     */
    static LoadBalancer start(LoadedConfig loaded, int workers, TransportKind transport) throws ConfigException {
        LoadBalancer lb = LoadBalancer.builder(loaded.config(), loaded.catalog()).workerThreads(workers)
                .transport(transport).build();
        lb.start();
        return lb;
    }
}

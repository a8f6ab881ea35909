package dev.lb.cli;

import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.ListenerBindException;
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

    /**
     * Builds and starts the load balancer of {@code loaded} and blocks until the JVM shuts down. {@code onStarted} is
     * told once it listens; {@code afterStop} runs once the load balancer has closed (the demo stops its backends
     * there).
     *
     * @return 1 when it could not start (the reason is printed to {@code err}); 0 once stopped
     */
    static int runUntilStopped(LoadedConfig loaded, PrintWriter err, Consumer<LoadBalancer> onStarted,
            List<AutoCloseable> afterStop) throws InterruptedException {
        return runUntilStopped(loaded, 0, err, onStarted, afterStop);
    }

    /**
     * As {@link #runUntilStopped(LoadedConfig, PrintWriter, Consumer, List)}, with {@code workers} event-loop
     * threads (0 for one per core).
     */
    static int runUntilStopped(LoadedConfig loaded, int workers, PrintWriter err, Consumer<LoadBalancer> onStarted,
            List<AutoCloseable> afterStop) throws InterruptedException {
        LoadBalancer lb;
        try {
            lb = start(loaded, workers);
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            err.flush();
            return 1;
        } catch (ListenerBindException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
        return start(loaded, 0);
    }

    /** Builds the load balancer of {@code loaded} with {@code workers} event-loop threads (0: one per core). */
    static LoadBalancer start(LoadedConfig loaded, int workers) throws ConfigException {
        LoadBalancer lb = LoadBalancer.builder(loaded.config(), loaded.catalog()).workerThreads(workers).build();
        lb.start();
        return lb;
    }
}

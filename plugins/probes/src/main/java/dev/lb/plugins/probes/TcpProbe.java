package dev.lb.plugins.probes;

import dev.lb.spi.HealthProbe;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.ProbeTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code tcp} probe of one pool: a non-blocking connect with {@link AsynchronousSocketChannel}, abandoned and
 * closed when {@link ProbeTarget#timeout()} passes.
 *
 * <p>All checks of the probe share one channel group with a single daemon thread, which only runs completion
 * handlers; it is started by the first check (not by {@code create}, which {@code lb validate} also calls) and shut
 * down by {@link #close()}. Timeouts use {@link CompletableFuture#completeOnTimeout}, whose timer thread the JDK shares
 * process-wide. The stages returned by {@link #check} therefore complete on one of those two threads: callers should
 * continue with the {@code *Async} methods (or do little work) so as not to hold up other checks.
 */
final class TcpProbe implements HealthProbe {

    /** The port setting's value when the backend's traffic port is probed. */
    static final int TRAFFIC_PORT = 0;

    private static final AtomicInteger GROUP_IDS = new AtomicInteger();

    private final int port;
    private AsynchronousChannelGroup group;
    private volatile Thread ioThread;
    private boolean closed;

    TcpProbe(int port) {
        this.port = port;
    }

    @Override
    public CompletionStage<ProbeResult> check(ProbeTarget target) {
        InetSocketAddress backend = target.backend().address();
        InetSocketAddress address = port == TRAFFIC_PORT ? backend : new InetSocketAddress(backend.getAddress(), port);
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(
                    ProbeResult.unhealthy("cannot resolve host " + address.getHostString()));
        }
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ProbeResult.unhealthy("cannot open a socket: " + e.getMessage()));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        channel.connect(address, result, ConnectHandler.INSTANCE);
        Duration timeout = target.timeout();
        result.completeOnTimeout(
                ProbeResult.unhealthy("timed out after " + format(timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
        // Closing also aborts a pending connect after a timeout, so no socket outlives its check.
        return result.whenComplete((outcome, error) -> closeQuietly(channel));
    }

    private synchronized AsynchronousChannelGroup group() throws IOException {
        if (closed) {
            throw new IOException("the tcp probe is closed");
        }
        if (group == null) {
            String name = "lb-probe-tcp-" + GROUP_IDS.incrementAndGet();
            group = AsynchronousChannelGroup.withFixedThreadPool(1, task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                ioThread = thread;
                return thread;
            });
        }
        return group;
    }

    /** Whether the probe holds a running channel group, for tests. */
    synchronized boolean hasRunningGroup() {
        return group != null && !group.isTerminated();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (group != null) {
            try {
                group.shutdownNow();
                // The group's one thread only runs short handlers, so it ends promptly; it cannot wait for itself,
                // which happens when the caller closes the probe from a stage completed by this probe.
                if (Thread.currentThread() != ioThread) {
                    group.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                // Nothing left to release: shutdownNow closed every channel of the group.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing an unconnected or failed socket can only fail if it is already gone.
        }
    }

    /** The reason an operator reads for a failed connect, e.g. {@code connection refused}. */
    static String reason(Throwable error) {
        if (error instanceof AsynchronousCloseException) {
            return "check abandoned: the probe was closed";
        }
        String message = error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
        for (String known : new String[] {
            "connection refused", "no route to host", "network is unreachable", "host is unreachable",
            "connection reset", "connection timed out", "permission denied"
        }) {
            if (message.contains(known)) {
                return known;
            }
        }
        return "connect failed: " + (message.isEmpty() ? error.getClass().getSimpleName() : error.getMessage());
    }

    /** {@code 1s}, {@code 250ms}: as durations are written in configuration. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 && millis > 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Completes the check's future; stateless, so one instance serves every check. */
    private enum ConnectHandler implements CompletionHandler<Void, CompletableFuture<ProbeResult>> {
        INSTANCE;

        @Override
        public void completed(Void ignored, CompletableFuture<ProbeResult> result) {
            result.complete(ProbeResult.healthy());
        }

        @Override
        public void failed(Throwable error, CompletableFuture<ProbeResult> result) {
            result.complete(ProbeResult.unhealthy(reason(error)));
        }
    }
}

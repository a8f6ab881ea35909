package dev.lb.harness.backend;

import java.net.InetSocketAddress;

/**
 * A backend server for tests of the load balancer, its configurations and its plugins: it runs in the test's JVM on
 * a loopback port, says who it is, and counts what it receives.
 *
 * <p>A backend can be {@linkplain #stop() stopped} (its port then refuses connections, as a crashed server's would)
 * and {@linkplain #restart() restarted} on the same port, to drive health checks and failover.
 */
public interface DummyBackend extends AutoCloseable {

    /** The name it identifies itself with. */
    String name();

    /** The address it listens on (the same across restarts). */
    InetSocketAddress address();

    /** Connections accepted since it was created, across restarts. */
    int totalConnections();

    /** Connections open now. */
    int openConnections();

    /** Closes every open connection now (as a crash would), while still accepting new ones. */
    void closeConnections();

    /** Whether it is accepting connections. */
    boolean isRunning();

    /**
     * Stops listening and closes every open connection; new connections are refused. Blocks until done. Does nothing
     * when already stopped.
     */
    void stop();

    /**
     * Listens again on the same address. Blocks until bound.
     *
     * @throws IllegalStateException when it is running, or the port was taken meanwhile
     */
    void restart();

    /** Stops for good and releases its threads. */
    @Override
    void close();
}

package dev.lb.runtime.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty event loops, channel types and buffer allocator shared by every listener of one server.
 *
 * <p>The loops do their I/O with one {@link TransportKind} (by default io_uring where the kernel allows it, epoll
 * where it does not, NIO off Linux). One boss thread accepts; the workers (one per core unless configured) run every
 * client and backend channel. The allocator is this server's own pooled direct allocator, so its memory use
 * ({@link #allocator()}'s metric) is the data plane's and nobody else's.
 */
public final class Transport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final TransportKind kind;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final PooledByteBufAllocator allocator;
    /**
     * The read-size guesser every channel shares (the guesses live in each channel's handle, made at its first read):
     * otherwise each channel gets an allocator object of its own, idle or not.
     */
    private final RecvByteBufAllocator receiveSizes = new AdaptiveRecvByteBufAllocator();

    /**
     * @param workerThreads event-loop threads for connections; 0 for one per available core
     * @param kind how the loops do I/O
     * @throws IllegalStateException when this machine does not allow {@code kind}, saying why
     */
    public Transport(int workerThreads, TransportKind kind) {
        if (workerThreads < 0) {
            throw new IllegalArgumentException("workerThreads must be 0 (one per core) or more, was " + workerThreads);
        }
        this.kind = kind.requireAvailable();
        IoHandlerFactory factory = kind.ioHandlerFactory();
        int workers = workerThreads == 0 ? Runtime.getRuntime().availableProcessors() : workerThreads;
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("lb-accept", true), factory);
        this.workerGroup = new MultiThreadIoEventLoopGroup(workers, new DefaultThreadFactory("lb-io", true), factory);
        this.allocator = new PooledByteBufAllocator(true);
        log.info("event loops: {} thread(s) on {}", workers, kind);
    }

    /** How the event loops do I/O. */
    public TransportKind kind() {
        return kind;
    }

    /** The group whose single thread accepts connections. */
    public EventLoopGroup bossGroup() {
        return bossGroup;
    }

    /** The group that runs every connection. */
    public EventLoopGroup workerGroup() {
        return workerGroup;
    }

    /** The type of listening channel. */
    public Class<? extends ServerChannel> serverChannelType() {
        return kind.serverChannelType();
    }

    /** The type of connection channel, for backends. */
    public Class<? extends SocketChannel> socketChannelType() {
        return kind.socketChannelType();
    }

    /**
     * A bootstrap for a connection to a backend from {@code loop} (the client's own loop, so both sides share a
     * thread): this transport's channel type and allocator, no Nagle, and {@code connectTimeout} (at least 1ms, as
     * Netty reads 0 as no timeout). The caller adds its own options and handler.
     */
    public Bootstrap backendBootstrap(EventLoop loop, Duration connectTimeout) {
        return new Bootstrap()
                .group(loop)
                .channel(socketChannelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, connectTimeout.toMillis())))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.RCVBUF_ALLOCATOR, receiveSizes);
    }

    /** How much to read at once, shared by every connection (see {@link ChannelOption#RCVBUF_ALLOCATOR}). */
    public RecvByteBufAllocator receiveSizes() {
        return receiveSizes;
    }

    /** This server's pooled direct buffer allocator. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** Direct plus heap memory currently held by {@link #allocator()}'s pools, in bytes. */
    public long usedMemory() {
        return allocator.metric().usedDirectMemory() + allocator.metric().usedHeapMemory();
    }

    /** Shuts the event loops down with a short quiet period, waiting up to {@code timeout}. */
    public void close(Duration timeout) {
        long millis = Math.max(0, timeout.toMillis());
        bossGroup.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
        workerGroup.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
        bossGroup.terminationFuture().awaitUninterruptibly(millis + 1000);
        workerGroup.terminationFuture().awaitUninterruptibly(millis + 1000);
    }

    /** Shuts the event loops down, waiting up to 5s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}

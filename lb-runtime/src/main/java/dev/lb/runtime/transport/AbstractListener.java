package dev.lb.runtime.transport;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.Pool;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every listener shares, whatever its protocol: binding the server socket on the {@link Transport}
 * (failing with {@link ListenerBindException}), tracking the open client connections, refusing new clients, waiting
 * for and closing the open ones. A subclass supplies only what a client connection's pipeline is, with
 * {@link #childInitializer()}, and the hooks where its protocol differs.
 */
public abstract class AbstractListener implements Listener {

    /** The subclass's logger, so that the lines say which kind of listener wrote them. */
    private final Logger log = LoggerFactory.getLogger(getClass());

    protected final ListenerConfig config;
    protected final Pool pool;
    protected final Transport transport;
    /**
     * The open client connections. Not a Netty ChannelGroup: that adds a close listener of its own to each channel,
     * and a second listener (ours, for {@link #connectionClosed}) makes Netty keep an array of them per channel. One
     * shared listener does both jobs.
     */
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final ChannelFutureListener untrack = closed -> {
        connections.remove(closed.channel());
        connectionClosed(closed.channel());
    };
    private volatile Channel serverChannel;
    private volatile InetSocketAddress boundAddress;

    protected AbstractListener(ListenerConfig config, Pool pool, Transport transport) {
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public final String name() {
        return config.name();
    }

    @Override
    public final synchronized void start() {
        if (serverChannel != null) {
            throw new IllegalStateException("listener " + config.name() + " already started");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.bossGroup(), transport.workerGroup())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, transport.receiveSizes());
        configureChildOptions(bootstrap);
        bootstrap.childHandler(childInitializer());
        ChannelFuture bound = bootstrap.bind(config.bind()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new ListenerBindException(config.name(), config.bind(), bound.cause());
        }
        serverChannel = bound.channel();
        boundAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("listener {}: {} on {}:{} -> pool {}", config.name(), scheme(), boundAddress.getHostString(),
                boundAddress.getPort(), pool.name());
    }

    /** What the listener speaks, for the line that says where it listens: {@code tcp}, {@code http}, ... */
    protected abstract String scheme();

    /** Adds the client channel options this protocol needs beyond TCP_NODELAY and the transport's allocator. */
    protected void configureChildOptions(ServerBootstrap bootstrap) {
    }

    /**
     * The initialiser of each accepted client channel, made once per {@link #start()}; it calls {@link #track} for
     * every connection it accepts.
     */
    protected abstract ChannelInitializer<Channel> childInitializer();

    /** Counts {@code channel} among the open connections until it closes, then calls {@link #connectionClosed}. */
    protected final void track(Channel channel) {
        connections.add(channel);
        channel.closeFuture().addListener(untrack);
    }

    /** A tracked connection closed (on its event loop). Nothing by default. */
    protected void connectionClosed(Channel channel) {
    }

    /** The client connections open now (a live view). */
    protected final Collection<Channel> connections() {
        return Collections.unmodifiableSet(connections);
    }

    @Override
    public final InetSocketAddress boundAddress() {
        InetSocketAddress address = boundAddress;
        if (address == null) {
            throw new IllegalStateException("listener " + config.name() + " is not started");
        }
        return address;
    }

    /** Closes the listening socket; a subclass that must tell open connections to finish does so after this. */
    @Override
    public void stopAccepting() {
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    @Override
    public final int openConnections() {
        return connections.size();
    }

    @Override
    public final boolean awaitConnectionsClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        releaseBackendConnections();
        return true;
    }

    @Override
    public final void closeConnections() {
        connections.forEach(Channel::close);
        releaseBackendConnections();
    }

    /**
     * Closes whatever the listener keeps open towards backends once no client needs it: called when the client
     * connections have all ended or been closed. Nothing by default.
     */
    protected void releaseBackendConnections() {
    }
}

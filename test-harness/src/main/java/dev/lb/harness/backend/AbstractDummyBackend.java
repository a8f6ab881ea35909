package dev.lb.harness.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The life of a dummy backend, whatever it speaks: one event-loop thread, a listening socket on 127.0.0.1 that can be
 * stopped (then refusing, as a crashed server's would) and restarted on the same port, and counts of connections.
 * Subclasses only set up each accepted connection's pipeline.
 */
abstract class AbstractDummyBackend implements DummyBackend {

    private final String name;
    private final EventLoopGroup group;
    private final boolean epoll;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger total = new AtomicInteger();
    private volatile InetSocketAddress address;
    private Channel server;

    private final boolean halfClosure;

    /**
     * @param halfClosure whether a connection stays open for writing after the client shuts its output (an echo
     *     server finishes its echo); when false the connection closes at the client's end of input, as an HTTP
     *     server's does
     */
    AbstractDummyBackend(String name, String kind, boolean halfClosure) {
        this.name = Objects.requireNonNull(name, "name");
        this.halfClosure = halfClosure;
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dummy-" + kind + "-" + name, true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Sets up the pipeline of an accepted connection. */
    abstract void initConnection(Channel channel);

    /** Binds {@code port} of 127.0.0.1 (0 for a free one); on failure releases the thread and rethrows. */
    final void listen(int port) {
        try {
            bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private synchronized void bind(InetSocketAddress where) {
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        total.incrementAndGet();
                        connections.add(channel);
                        initConnection(channel);
                    }
                })
                .bind(where)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("dummy backend " + name + ": cannot listen on " + where + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        server = bound.channel();
        address = (InetSocketAddress) server.localAddress();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final InetSocketAddress address() {
        return address;
    }

    @Override
    public final int totalConnections() {
        return total.get();
    }

    @Override
    public final int openConnections() {
        return connections.size();
    }

    @Override
    public final void closeConnections() {
        connections.close().awaitUninterruptibly();
    }

    @Override
    public final synchronized boolean isRunning() {
        return server != null && server.isOpen();
    }

    @Override
    public final synchronized void stop() {
        if (server != null) {
            server.close().awaitUninterruptibly();
            server = null;
            if (!epoll) {
                awaitRefusing();
            }
        }
        connections.close().awaitUninterruptibly();
    }

    /**
     * The JDK closes a selector-registered listening socket only when its selector next runs, a moment after Netty's
     * close completes; wait until the port really refuses so that "stopped" means refusing.
     */
    private void awaitRefusing() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(address, 500);
            } catch (IOException refused) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public final synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("dummy backend " + name + " is running; stop it first");
        }
        bind(address);
    }

    @Override
    public final void close() {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + " on " + address + "]";
    }
}

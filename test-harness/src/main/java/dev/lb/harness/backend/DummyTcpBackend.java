package dev.lb.harness.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP backend for tests: on each connection it first writes its identity line ({@code name + "\n"}), then echoes
 * every byte it receives, with backpressure (it stops reading while the client is not reading its echo). When the
 * client shuts its output, the backend finishes echoing and shuts its own, so half-close can be tested end to end.
 *
 * <pre>{@code
 * try (DummyTcpBackend a = DummyTcpBackend.start("a")) {
 *     // configure a backend at a.address(), connect through the load balancer, read "a\n" first
 *     a.stop();      // now refuses connections
 *     a.restart();   // same port again
 * }
 * }</pre>
 *
 * <p>Listens on 127.0.0.1 only. Thread-safe.
 */
public final class DummyTcpBackend implements DummyBackend {

    private final String name;
    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger total = new AtomicInteger();
    private final byte[] identity;
    private final boolean epoll;
    private volatile InetSocketAddress address;
    private Channel server;

    private DummyTcpBackend(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.identity = (name + "\n").getBytes(StandardCharsets.UTF_8);
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dummy-tcp-" + name, true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Starts a backend named {@code name} on a free port of 127.0.0.1. */
    public static DummyTcpBackend start(String name) {
        return start(name, 0);
    }

    /**
     * Starts a backend named {@code name} on {@code port} of 127.0.0.1 (0 for a free one).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static DummyTcpBackend start(String name, int port) {
        DummyTcpBackend backend = new DummyTcpBackend(name);
        try {
            backend.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (RuntimeException e) {
            backend.group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        return backend;
    }

    private synchronized void bind(InetSocketAddress where) {
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        total.incrementAndGet();
                        connections.add(channel);
                        channel.pipeline().addLast(new Echo());
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
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int totalConnections() {
        return total.get();
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null && server.isOpen();
    }

    @Override
    public synchronized void stop() {
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
    public synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("dummy backend " + name + " is running; stop it first");
        }
        bind(address);
    }

    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "DummyTcpBackend[" + name + " on " + address + "]";
    }

    /** Identity line, then echo with backpressure and half-close. */
    private final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().buffer(identity.length).writeBytes(identity));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                ctx.write(msg, ctx.voidPromise());
                if (!ctx.channel().isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f ->
                        ((DuplexChannel) ctx.channel()).shutdownOutput().addListener(ChannelFutureListener.CLOSE));
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

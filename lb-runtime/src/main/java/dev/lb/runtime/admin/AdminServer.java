package dev.lb.runtime.admin;

import dev.lb.runtime.config.AdminConfig;
import dev.lb.runtime.metrics.PrometheusExposition;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.reload.ReloadService;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.ListenerBindException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener of one {@link LoadBalancer}, on one event-loop thread of its own so that it answers even when
 * the data plane is saturated. Slow work (a reload, a drain) runs on virtual threads, never on that loop.
 *
 * <pre>{@code
 * AdminServer admin = new AdminServer(config.admin(), lb, catalog, reloads);
 * admin.start();
 * ...
 * admin.close();
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final AdminConfig config;
    private final AdminRoutes routes;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Channel serverChannel;

    /**
     * @param config where to bind and the token
     * @param lb the server to show and steer
     * @param catalog the plugins, for {@code GET /plugins}
     * @param reloads reloads for {@code POST /reload}, or null when the server was not started from a file
     */
    public AdminServer(AdminConfig config, LoadBalancer lb, PluginCatalog catalog, ReloadService reloads) {
        this.config = Objects.requireNonNull(config, "config");
        this.routes = new AdminRoutes(lb, catalog, reloads, new PrometheusExposition(lb.metrics().registry()));
    }

    /**
     * Binds and starts answering.
     *
     * @throws ListenerBindException when the address cannot be bound
     */
    public synchronized void start() {
        if (serverChannel != null) {
            throw new IllegalStateException("the admin listener is already started");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new AdminHandler(routes, config.token(), work));
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.bind()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new ListenerBindException("admin", config.bind(), bound.cause());
        }
        serverChannel = bound.channel();
        log.info("admin listener on http://{}:{}/ ({})", boundAddress().getAddress().getHostAddress(),
                boundAddress().getPort(), config.token() == null ? "loopback, no token" : "bearer token required");
    }

    /** The address bound (the real port when 0 was configured). */
    public InetSocketAddress boundAddress() {
        Channel channel = serverChannel;
        if (channel == null) {
            throw new IllegalStateException("the admin listener is not started");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops the listener and its thread. */
    @Override
    public synchronized void close() {
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        work.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

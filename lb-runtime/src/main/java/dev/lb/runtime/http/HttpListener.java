package dev.lb.runtime.http;

import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.ListenerBindException;
import dev.lb.runtime.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer-7 listener: HTTP/1.1 (optionally over TLS) from clients, a backend picked per request, keep-alive
 * connections pooled per backend. See {@link ClientHandler} for the life of a request.
 *
 * <p>Each client connection's pipeline is: TLS (when configured), {@link HeadTimeout}, {@link FrontendCodec}, an idle
 * timeout, and the {@link ClientHandler}.
 */
public final class HttpListener implements Listener {

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);

    private final ListenerConfig config;
    private final Pool pool;
    private final Transport transport;
    private final SslContext serverTls;
    private final ListenerContext context;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong refused = new AtomicLong();
    private volatile Channel serverChannel;
    private volatile InetSocketAddress boundAddress;

    /**
     * A listener for {@code config}, sending requests to {@code pool}; nothing is bound until {@link #start()}.
     *
     * @throws IllegalArgumentException when a TLS certificate, key or trust file cannot be used
     */
    public HttpListener(ListenerConfig config, Pool pool, Transport transport) {
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.transport = Objects.requireNonNull(transport, "transport");
        HttpListenerConfig http = config.http();
        this.serverTls = config.tls() == null ? null
                : TlsContexts.server(config.name(), config.tls(), config.http().http2());
        SslContext backendTls = http.backendTls() == null ? null : TlsContexts.client(config.name(), http.backendTls());
        Map<BackendState, BackendConnections> backends = new IdentityHashMap<>();
        for (BackendState backend : pool.backends()) {
            backends.put(backend, new BackendConnections(config, backend, pool, transport, backendTls));
        }
        this.context = new ListenerContext(config, pool, Map.copyOf(backends), serverTls == null ? "http" : "https");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public synchronized void start() {
        if (serverChannel != null) {
            throw new IllegalStateException("listener " + config.name() + " already started");
        }
        HttpListenerConfig http = config.http();
        long idleNanos = config.idleTimeout().toNanos();
        long headNanos = http.headerTimeout().toNanos();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.bossGroup(), transport.workerGroup())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (connections.size() >= http.maxConnections()) {
                            // Counted, and logged once per thousand, so a flood does not flood the log too.
                            if (refused.getAndIncrement() % 1000 == 0) {
                                log.warn("listener {}: max-connections ({}) reached; refusing {} ({} refused so far)",
                                        config.name(), http.maxConnections(), channel.remoteAddress(), refused.get());
                            }
                            channel.close();
                            return;
                        }
                        connections.add(channel);
                        if (serverTls == null) {
                            // Lets ClientHandler keep reading while it proxies a request (see readWhileProxying).
                            channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                            addHttp1(channel.pipeline(), headNanos, idleNanos);
                            return;
                        }
                        channel.pipeline().addLast("tls", serverTls.newHandler(channel.alloc()));
                        if (!http.http2()) {
                            addHttp1(channel.pipeline(), headNanos, idleNanos);
                            return;
                        }
                        channel.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(
                                ApplicationProtocolNames.HTTP_1_1) {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    addHttp2(ctx.pipeline(), idleNanos);
                                } else {
                                    addHttp1(ctx.pipeline(), headNanos, idleNanos);
                                }
                            }
                        });
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.bind()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new ListenerBindException(config.name(), config.bind(), bound.cause());
        }
        serverChannel = bound.channel();
        boundAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("listener {}: {} on {} -> pool {}", config.name(), context.scheme(), boundAddress, pool.name());
    }

    /** The HTTP/1.1 handlers of a client connection. */
    private void addHttp1(ChannelPipeline pipeline, long headNanos, long idleNanos) {
        HttpListenerConfig http = config.http();
        HeadTimeout headTimeout = new HeadTimeout(headNanos);
        FrontendCodec codec = new FrontendCodec(http.maxRequestLine(), http.maxHeaderSize());
        pipeline.addLast("head-timeout", headTimeout);
        pipeline.addLast("codec", codec);
        pipeline.addLast("idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        pipeline.addLast("proxy", new ClientHandler(context, headTimeout, codec));
    }

    /**
     * The HTTP/2 handlers of a client connection: each stream is a child channel that sees HTTP/1.1-style messages
     * and has its own {@link ClientHandler}, so requests are proxied exactly as over HTTP/1.1.
     */
    private void addHttp2(ChannelPipeline pipeline, long idleNanos) {
        HttpListenerConfig http = config.http();
        pipeline.addLast("idle", new IdleStateHandler(0, 0, idleNanos, TimeUnit.NANOSECONDS));
        pipeline.addLast("idle-close", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent) {
                    ctx.channel().close(); // through the whole pipeline: a GOAWAY first
                } else {
                    ctx.fireUserEventTriggered(evt);
                }
            }
        });
        // The stream handler must follow the frame codec directly: it takes the codec's stream events.
        pipeline.addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(http.maxHeaderSize()))
                .build());
        pipeline.addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("proxy", new ClientHandler(context, null, null));
            }
        }));
    }

    @Override
    public InetSocketAddress boundAddress() {
        InetSocketAddress address = boundAddress;
        if (address == null) {
            throw new IllegalStateException("listener " + config.name() + " is not started");
        }
        return address;
    }

    /**
     * Closes the listening socket, then asks every open connection to finish: one between requests closes now, one
     * with a request in progress closes once its response is complete.
     */
    @Override
    public void stopAccepting() {
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        for (Channel connection : connections) {
            ClientHandler handler = connection.pipeline().get(ClientHandler.class);
            if (handler != null) {
                connection.eventLoop().execute(handler::drain);
            } else if (connection.pipeline().get(Http2FrameCodec.class) != null) {
                connection.close(); // HTTP/2: GOAWAY, and the open streams finish first
            }
        }
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    /** Connections open now from this listener to {@code backend}, busy or idle. */
    public int backendConnections(BackendState backend) {
        BackendConnections pooled = context.connections(backend);
        return pooled == null ? 0 : pooled.open();
    }

    /** Client connections refused because {@code max-connections} were open. */
    public long refusedConnections() {
        return refused.get();
    }

    @Override
    public boolean awaitConnectionsClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        context.backends().values().forEach(BackendConnections::closeAll);
        return true;
    }

    @Override
    public void closeConnections() {
        connections.close();
        context.backends().values().forEach(BackendConnections::closeAll);
    }
}

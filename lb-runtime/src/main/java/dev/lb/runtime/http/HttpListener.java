package dev.lb.runtime.http;

import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.LoggingConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.metrics.TrafficMetrics;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.AbstractListener;
import dev.lb.runtime.transport.IdleTimeout;
import dev.lb.runtime.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer-7 listener: HTTP/1.1 (optionally over TLS) from clients, a backend picked per request, keep-alive
 * connections pooled per backend. See {@link ClientHandler} for the life of a request.
 *
 * <p>Each client connection's pipeline is: TLS (when configured), {@link HeadTimeout} (the header and idle timeouts),
 * and, from the client's first bytes on, {@link FrontendCodec} and the {@link ClientHandler}.
 */
public final class HttpListener extends AbstractListener {

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);

    private final SslContext serverTls;
    private final ListenerContext context;
    private final TrafficMetrics metrics;
    private final AtomicLong refused = new AtomicLong();

    /**
     * A listener for {@code config}, sending requests to {@code pool}, its figures recorded on a private registry and
     * its access log in the default format; nothing is bound until {@link #start()}.
     *
     * @throws IllegalArgumentException when a TLS certificate, key or trust file cannot be used
     */
    public HttpListener(ListenerConfig config, Pool pool, Transport transport) {
        this(config, pool, transport, new LbMetrics(), new AccessLog(LoggingConfig.DEFAULT_ACCESS_LOG_FORMAT));
    }

    /**
     * A listener for {@code config}, sending requests to {@code pool}, recording its figures in {@code metrics} (as
     * listener {@code config.name()}) and one line per request in {@code accessLog}; nothing is bound until
     * {@link #start()}.
     *
     * @throws IllegalArgumentException when a TLS certificate, key or trust file cannot be used
     */
    public HttpListener(ListenerConfig config, Pool pool, Transport transport, LbMetrics metrics,
            AccessLog accessLog) {
        super(config, pool, transport);
        HttpListenerConfig http = config.http();
        this.serverTls = config.tls() == null ? null
                : TlsContexts.server(config.name(), config.tls(), config.http().http2());
        SslContext backendTls = http.backendTls() == null ? null : TlsContexts.client(config.name(), http.backendTls());
        this.metrics = metrics.listener(config.name());
        this.context = new ListenerContext(config, pool,
                backend -> new BackendConnections(config, backend, pool, transport, backendTls),
                serverTls == null ? "http" : "https", this.metrics, Objects.requireNonNull(accessLog, "accessLog"));
    }

    @Override
    protected String scheme() {
        return context.scheme();
    }

    @Override
    protected ChannelInitializer<Channel> childInitializer() {
        HttpListenerConfig http = config.http();
        long idleNanos = config.idleTimeout().toNanos();
        HeadTimeout.Settings clock = new HeadTimeout.Settings(http.headerTimeout().toNanos(), idleNanos,
                this::installHttp1);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                if (openConnections() >= http.maxConnections()) {
                    // Counted, and logged once per thousand, so a flood does not flood the log too.
                    if (refused.getAndIncrement() % 1000 == 0) {
                        log.warn("listener {}: max-connections ({}) reached; refusing {} ({} refused so far)",
                                config.name(), http.maxConnections(), channel.remoteAddress(), refused.get());
                    }
                    channel.close();
                    return;
                }
                track(channel);
                metrics.connectionOpened();
                if (serverTls == null) {
                    // Lets ClientHandler keep reading while it proxies a request (see readWhileProxying).
                    channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                    channel.pipeline().addLast("clock", new HeadTimeout(clock));
                    return;
                }
                channel.pipeline().addLast("tls", serverTls.newHandler(channel.alloc()));
                if (!http.http2()) {
                    channel.pipeline().addLast("clock", new HeadTimeout(clock));
                    return;
                }
                channel.pipeline().addLast("alpn", new ApplicationProtocolNegotiationHandler(
                        ApplicationProtocolNames.HTTP_1_1) {
                    @Override
                    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                            addHttp2(ctx.pipeline(), idleNanos);
                        } else {
                            ctx.pipeline().addLast("clock", new HeadTimeout(clock));
                        }
                    }
                });
            }
        };
    }

    @Override
    protected void connectionClosed(Channel channel) {
        metrics.connectionClosed();
    }

    /**
     * The rest of an HTTP/1.1 connection's handlers, after its {@link HeadTimeout}: added when the client first sends
     * something, so that a connection that stays idle holds the channel and its clock only.
     */
    private void installHttp1(HeadTimeout clock) {
        HttpListenerConfig http = config.http();
        FrontendCodec codec = new FrontendCodec(http.maxRequestLine(), http.maxHeaderSize(),
                http.forwardedHeaders());
        ChannelHandlerContext ctx = clock.context();
        ctx.pipeline().addAfter(ctx.name(), "codec", codec);
        ctx.pipeline().addAfter("codec", "proxy", new ClientHandler(context, clock, codec));
    }

    /**
     * The HTTP/2 handlers of a client connection: each stream is a child channel that sees HTTP/1.1-style messages
     * and has its own {@link ClientHandler}, so requests are proxied exactly as over HTTP/1.1.
     */
    private void addHttp2(ChannelPipeline pipeline, long idleNanos) {
        HttpListenerConfig http = config.http();
        pipeline.addLast("idle", new IdleTimeout(idleNanos));
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

    /**
     * Closes the listening socket, then asks every open connection to finish: one between requests closes now, one
     * with a request in progress closes once its response is complete.
     */
    @Override
    public void stopAccepting() {
        super.stopAccepting();
        for (Channel connection : connections()) {
            HeadTimeout clock = connection.pipeline().get(HeadTimeout.class);
            if (clock != null) {
                // On the loop: a client's first bytes may be adding its ClientHandler right now.
                connection.eventLoop().execute(clock::drain);
            } else if (connection.pipeline().get(Http2FrameCodec.class) != null) {
                connection.close(); // HTTP/2: GOAWAY, and the open streams finish first
            }
        }
    }

    /**
     * True: a backend's connection pool is made when the listener first sends it a request, so a reload may change
     * the pool's members under it.
     */
    @Override
    public boolean followsPoolMembership() {
        return true;
    }

    /** Backends that left the pool keep no connection pool here: their idle connections close now. */
    @Override
    public void poolMembersChanged() {
        context.forgetRemovedBackends();
    }

    /** How many backends this listener keeps a connection pool for (made at a backend's first request). */
    public int backendConnectionPools() {
        return context.backendPools();
    }

    /** The pooled backend connections, once no client is left to use them. */
    @Override
    protected void releaseBackendConnections() {
        context.allConnections().forEach(BackendConnections::closeAll);
    }
}

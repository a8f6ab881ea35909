package dev.lb.harness.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 backend for tests and demos that answers every request with its own identity, counts what it serves, and
 * can be told to misbehave.
 *
 * <p>Every request gets {@code 200 Hello from NAME (127.0.0.1:PORT)} with an {@code X-Backend: NAME} header, unless it
 * was told otherwise: {@link #failWith(int)} answers with another status, {@link #delay(Duration)} waits before each
 * answer, {@link #dropConnections(boolean)} closes each connection on receipt of a request without answering, and
 * {@link #stop()} / {@link #restart()} take it off and back onto the same port. Request bodies of any size are read
 * and counted as they stream, never held whole. Keep-alive is honoured. Bound to 127.0.0.1 only.
 */
public final class DummyHttpBackend implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean dropConnections;
    private volatile int port;
    private volatile Channel server;

    private DummyHttpBackend(String name) {
        this.name = name;
    }

    /** Starts a backend named {@code name} on a free port of 127.0.0.1. */
    public static DummyHttpBackend start(String name) {
        return start(name, 0);
    }

    /** Starts a backend named {@code name} on 127.0.0.1:{@code port} (0 for a free one). */
    public static DummyHttpBackend start(String name, int port) {
        DummyHttpBackend backend = new DummyHttpBackend(name);
        try {
            backend.bind(port);
        } catch (RuntimeException e) {
            backend.group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        return backend;
    }

    private void bind(int requestedPort) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connectionsAccepted.incrementAndGet();
                        connections.add(channel);
                        channel.pipeline().addLast(new HttpServerCodec(), new IdentityResponder());
                    }
                });
        Channel bound = bootstrap.bind(new InetSocketAddress("127.0.0.1", requestedPort)).syncUninterruptibly().channel();
        this.port = ((InetSocketAddress) bound.localAddress()).getPort();
        this.server = bound;
    }

    /** The backend's name, as it answers with. */
    public String name() {
        return name;
    }

    /** Where it listens: 127.0.0.1 and the port it was given, kept across {@link #restart()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Requests answered or dropped so far. */
    public long requests() {
        return requests.get();
    }

    /** Connections accepted so far. */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Request body bytes received so far. */
    public long bodyBytesReceived() {
        return bodyBytes.get();
    }

    /** Answers every following request with {@code status} (200 to heal). */
    public DummyHttpBackend failWith(int status) {
        this.status = status;
        return this;
    }

    /** Waits {@code delay} before each following answer ({@link Duration#ZERO} to stop). */
    public DummyHttpBackend delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** When true, closes each connection as soon as a request arrives, without answering. */
    public DummyHttpBackend dropConnections(boolean drop) {
        this.dropConnections = drop;
        return this;
    }

    /** Stops listening and closes every open connection; connects are refused until {@link #restart()}. */
    public synchronized void stop() {
        Channel bound = server;
        if (bound != null) {
            bound.close().syncUninterruptibly();
            server = null;
        }
        connections.close().syncUninterruptibly();
    }

    /** Listens again on the same port, answering normally unless still told to misbehave. */
    public synchronized void restart() {
        if (server == null) {
            bind(port);
        }
    }

    /** Whether it is listening. */
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return name + " (127.0.0.1:" + port + ")";
    }

    /** Answers when the whole request has arrived, so bodies stream through and are only counted. */
    private final class IdentityResponder extends SimpleChannelInboundHandler<HttpObject> {
        private boolean keepAlive;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpRequest request) {
                keepAlive = HttpUtil.isKeepAlive(request);
                if (dropConnections) {
                    requests.incrementAndGet();
                    ctx.close();
                    return;
                }
            }
            if (message instanceof HttpContent content) {
                bodyBytes.addAndGet(content.content().readableBytes());
            }
            if (message instanceof LastHttpContent) {
                requests.incrementAndGet();
                Duration wait = delay;
                if (wait.isZero()) {
                    respond(ctx, keepAlive);
                } else {
                    boolean keep = keepAlive;
                    ctx.executor().schedule(() -> respond(ctx, keep), wait.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        }

        private void respond(ChannelHandlerContext ctx, boolean keep) {
            HttpResponseStatus answer = HttpResponseStatus.valueOf(status);
            String text = (answer.code() == 200 ? "Hello from " : answer + " from ") + DummyHttpBackend.this + "\n";
            ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set("X-Backend", name);
            if (keep) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}

package dev.lb.harness.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
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
 * and counted as they stream, never held whole. Keep-alive is honoured. Listens on 127.0.0.1 only. Thread-safe.
 */
public final class DummyHttpBackend extends AbstractDummyBackend {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean dropConnections;

    private DummyHttpBackend(String name) {
        super(name, "http", false);
    }

    /** Starts a backend named {@code name} on a free port of 127.0.0.1. */
    public static DummyHttpBackend start(String name) {
        return start(name, 0);
    }

    /**
     * Starts a backend named {@code name} on {@code port} of 127.0.0.1 (0 for a free one).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static DummyHttpBackend start(String name, int port) {
        DummyHttpBackend backend = new DummyHttpBackend(name);
        backend.listen(port);
        return backend;
    }

    @Override
    void initConnection(Channel channel) {
        channel.pipeline().addLast(new HttpServerCodec(), new IdentityResponder());
    }

    /** Requests answered or dropped so far. */
    public long requests() {
        return requests.get();
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

    @Override
    public String toString() {
        return name() + " (" + address().getHostString() + ":" + address().getPort() + ")";
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
                    .set("X-Backend", name());
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

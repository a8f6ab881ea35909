package dev.lb.harness.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
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
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 backend for tests and demos that answers every request with its own identity, counts what it serves, and
 * can be told to misbehave.
 *
 * <p>Every request gets {@code 200 Hello from NAME (127.0.0.1:PORT)} with an {@code X-Backend: NAME} header, unless it
 * was told otherwise: {@link #failWith(int)} answers with another status, {@link #delay(Duration)} waits before each
 * answer, {@link #readDelay(Duration)} waits before reading a new connection, {@link #dropConnections(boolean)} closes
 * each connection on receipt of a request without answering, and {@link #stop()} / {@link #restart()} take it off and
 * back onto the same port. Request bodies of any size are read
 * and counted as they stream, never held whole, and their SHA-256 is kept ({@link #lastRequest()}). Keep-alive is
 * honoured. Listens on 127.0.0.1 only. Thread-safe.
 *
 * <p>Two paths do more: {@value #BYTES_PATH}{@code ?n=N&seed=S} streams N pseudo-random bytes (with Content-Length,
 * at the pace the client reads; {@link #lastDownloadSha256()} has their digest), and a WebSocket upgrade on any path
 * is accepted and every text or binary message echoed back.
 */
public final class DummyHttpBackend extends AbstractDummyBackend {

    /** The path of the streaming download. */
    public static final String BYTES_PATH = "/bytes";

    /** The largest WebSocket frame accepted. */
    private static final int MAX_WEBSOCKET_FRAME = 16 * 1024 * 1024;

    private final AtomicLong requests = new AtomicLong();
    private volatile Request lastRequest;
    private volatile String lastDownloadSha256;
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration readDelay = Duration.ZERO;
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
        Duration wait = readDelay;
        if (!wait.isZero()) {
            channel.config().setAutoRead(false);
            channel.eventLoop().schedule(() -> channel.config().setAutoRead(true), wait.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Requests answered or dropped so far. */
    public long requests() {
        return requests.get();
    }

    /** Request body bytes received so far. */
    public long bodyBytesReceived() {
        return bodyBytes.get();
    }

    /** The last request received whole, or null before the first. */
    public Request lastRequest() {
        return lastRequest;
    }

    /** The SHA-256 (hex) of the last body streamed from {@value #BYTES_PATH}, once it was all written; else null. */
    public String lastDownloadSha256() {
        return lastDownloadSha256;
    }

    /**
     * A request as the backend received it.
     *
     * @param method the method
     * @param uri the request target
     * @param headers every header, names in lower case, values in order
     * @param bodyBytes the body's length
     * @param bodySha256 the body's SHA-256, hex
     */
    public record Request(String method, String uri, Map<String, List<String>> headers, long bodyBytes,
                          String bodySha256) {

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
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

    /**
     * Waits {@code delay} after accepting each following connection before reading anything from it
     * ({@link Duration#ZERO} to stop): what the client sends meanwhile fills the socket buffers, as with a backend
     * that is slow to start reading.
     */
    public DummyHttpBackend readDelay(Duration delay) {
        this.readDelay = delay;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Answers when the whole request has arrived, so bodies stream through and are only counted and digested. */
    private final class IdentityResponder extends SimpleChannelInboundHandler<HttpObject> {
        private boolean keepAlive;
        private HttpRequest head;
        private MessageDigest digest;
        private long size;
        private Download download;
        private boolean upgraded;
        private boolean dropped;
        /** Between a complete request and the end of its answer. */
        private boolean answering;
        /** The client shut its output: close once the current answer, if any, is out. */
        private boolean inputEnded;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (upgraded || dropped) {
                return; // the rest of a request already dropped, or frames after an upgrade
            }
            if (message instanceof HttpRequest request) {
                keepAlive = HttpUtil.isKeepAlive(request);
                head = request;
                digest = sha256();
                size = 0;
                if (dropConnections) {
                    requests.incrementAndGet();
                    dropped = true;
                    ctx.close();
                    return;
                }
            }
            if (message instanceof HttpContent content) {
                int n = content.content().readableBytes();
                bodyBytes.addAndGet(n);
                size += n;
                digest.update(content.content().nioBuffer());
            }
            if (message instanceof LastHttpContent) {
                answering = true;
                requests.incrementAndGet();
                lastRequest = snapshot();
                if (head.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                    upgradeToWebSocket(ctx);
                    return;
                }
                Duration wait = delay;
                if (wait.isZero()) {
                    answer(ctx, keepAlive);
                } else {
                    boolean keep = keepAlive;
                    ctx.executor().schedule(() -> answer(ctx, keep), wait.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        }

        private Request snapshot() {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String name : head.headers().names()) {
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(head.headers().getAll(name)));
            }
            return new Request(head.method().name(), head.uri(), Map.copyOf(headers), size,
                    HexFormat.of().formatHex(digest.digest()));
        }

        private void answer(ChannelHandlerContext ctx, boolean keep) {
            QueryStringDecoder target = new QueryStringDecoder(head.uri());
            if (target.path().equals(BYTES_PATH) && status == 200) {
                long n = Long.parseLong(target.parameters().getOrDefault("n", List.of("0")).getFirst());
                long seed = Long.parseLong(target.parameters().getOrDefault("seed", List.of("1")).getFirst());
                download = new Download(ctx, n, seed, keep);
                download.pump();
            } else {
                respond(ctx, keep);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                inputEnded = true;
                if (!answering || upgraded) {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        /** The answer is out: close if the client has finished, as its half-closed connection is no longer needed. */
        private void answered(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture written) {
            answering = false;
            if (inputEnded) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (download != null && ctx.channel().isWritable()) {
                download.pump();
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void upgradeToWebSocket(ChannelHandlerContext ctx) {
            FullHttpRequest request = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                    Unpooled.EMPTY_BUFFER, head.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
            String location = "ws://" + head.headers().get(HttpHeaderNames.HOST, "localhost") + head.uri();
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, true,
                    MAX_WEBSOCKET_FRAME)
                    .newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            upgraded = true;
            ctx.pipeline().addLast("ws-echo", new WebSocketEcho(handshaker));
            handshaker.handshake(ctx.channel(), request);
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
                answered(ctx, ctx.writeAndFlush(response));
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                answered(ctx, ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE));
            }
        }

        /** A body of pseudo-random bytes written only while the connection is writable, so memory stays small. */
        private final class Download {
            private static final int CHUNK = 64 * 1024;
            private final ChannelHandlerContext ctx;
            private final SplittableRandom random;
            private final MessageDigest sent = sha256();
            private final byte[] chunk = new byte[CHUNK];
            private final boolean keep;
            private long left;

            Download(ChannelHandlerContext ctx, long n, long seed, boolean keep) {
                this.ctx = ctx;
                this.random = new SplittableRandom(seed);
                this.left = n;
                this.keep = keep;
                HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                        .set(HttpHeaderNames.CONTENT_LENGTH, n)
                        .set("X-Backend", name())
                        .set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
                ctx.write(response);
            }

            void pump() {
                Channel channel = ctx.channel();
                while (left > 0 && channel.isWritable()) {
                    int k = (int) Math.min(CHUNK, left);
                    random.nextBytes(chunk);
                    sent.update(chunk, 0, k);
                    ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk, 0, k).copy()));
                    left -= k;
                }
                if (left > 0) {
                    ctx.flush();
                    return;
                }
                download = null;
                lastDownloadSha256 = HexFormat.of().formatHex(sent.digest());
                var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keep) {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
                answered(ctx, done);
            }
        }
    }

    /** Echoes WebSocket messages, answers pings and completes the closing handshake. */
    private static final class WebSocketEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WebSocketServerHandshaker handshaker;

        WebSocketEcho(WebSocketServerHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) {
                handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame.retainedDuplicate());
            }
        }
    }
}

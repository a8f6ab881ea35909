package dev.lb.runtime.http;

import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.TrafficMetrics;
import dev.lb.runtime.pool.BackendSelector;
import dev.lb.runtime.pool.BackendState;
import dev.lb.spi.Protocol;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy for one client connection: reads each request head, lets the pool's picker choose a backend for it,
 * sends it over a pooled keep-alive connection to that backend, and streams the bodies both ways with backpressure
 * (a side that cannot keep up stops the other side's reads). Requests are handled one at a time; a pipelined request
 * waits, unread, until the previous response is complete.
 *
 * <p>A request or response head comes either decoded (an {@code HttpRequest}/{@code HttpResponse} from Netty's codec)
 * or as bytes to relay ({@link RelayedRequest}, {@link RelayedResponse}, see {@link HeadScanner}); both take the same
 * path through picking, retries, timeouts and accounting, and differ only where the head is written.
 *
 * <p>Failures before any response byte are retried on another backend when that is safe: always for a failed connect
 * (nothing was sent), and for a reset or close only when the method may be replayed and the body sent so far is still
 * held (up to {@value #REPLAY_LIMIT} bytes). Otherwise the client gets 502, 503 or 504 with a one-line body and the log
 * says why. Everything runs on the client's event loop, which is also its backend connections' loop.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    /** Request body bytes kept after sending, so that a retry can send them again. */
    static final int REPLAY_LIMIT = 64 * 1024;
    /** How long a connection closed after an error keeps reading (and dropping) what the client still sends. */
    private static final long LINGER_MILLIS = 2_000;

    private enum Phase { WAITING, CONNECTING, FORWARDING, CLOSED }

    private final ListenerContext listener;
    private final HttpListenerConfig http;
    private final HeadTimeout headTimeout;
    private final FrontendCodec codec;
    /** Messages of requests after the current one (pipelining), handled once it is done. */
    private final ArrayDeque<HttpObject> queued = new ArrayDeque<>(0);
    private ChannelHandlerContext ctx;
    private Channel client;
    private Phase phase = Phase.WAITING;
    private Exchange x;
    /** Set when the listener stops: no further request is taken on this connection. */
    private boolean draining;
    /**
     * Whether the client is read while a request without a body is proxied. Turning reading off and on again costs
     * two epoll_ctl calls per request, a third of the system calls of a keep-alive request; reading on costs nothing
     * until the client sends more (a pipelined request, queued and then reading stops) or closes its side. That
     * needs the connection to stay open when the client half-closes, so that the answer still goes out: plain
     * HTTP/1.1 connections allow half-closure for this (see HttpListener); TLS and HTTP/2 keep the toggle.
     */
    private boolean readWhileProxying;
    /** The client shut its side after a complete request: close once the answer is out. */
    private boolean inputShut;
    /**
     * Set after the head of a request without a body: the decoder's empty end of it is still to come and is dropped,
     * since such a request counts as complete at its head (so that an early answer can keep the connection).
     */
    private boolean skipEmptyEnd;
    /**
     * The response timeout: the exchange whose backend must start answering by {@link #responseDeadline}, or null.
     * One pending check per connection that re-arms itself when it comes early (as {@link HeadTimeout} does), since
     * scheduling and cancelling a task per request is a priority-queue insert and removal on the event loop each.
     */
    private Exchange awaitingResponse;
    private long responseDeadline;
    private ScheduledFuture<?> responseCheck;
    private String clientAddressText;

    /**
     * @param headTimeout the connection's request-head clock; null on an HTTP/2 stream (the connection has its own)
     * @param codec the connection's HTTP/1.1 codec; null on an HTTP/2 stream, whose messages come converted
     */
    ClientHandler(ListenerContext listener, HeadTimeout headTimeout, FrontendCodec codec) {
        this.listener = listener;
        this.http = listener.http();
        this.headTimeout = headTimeout;
        this.codec = codec;
    }

    /** The state of the request being handled. */
    private static final class Exchange {
        final HttpRequest request;
        final RequestInfo info;
        final String method;
        final boolean clientKeepAlive;
        final boolean http10;
        final boolean upgrade;
        final boolean head;
        final boolean bodiless;
        final long startNanos = System.nanoTime();
        /** Backends tried so far; made at the first pick, which is usually the only one. */
        List<BackendState> tried = List.of();
        /** Body read before a backend connection was ready (a list is made only for a request that has one). */
        List<HttpContent> pending = List.of();
        /** Body already sent, kept while the request may still be replayed. */
        List<HttpContent> replay = List.of();
        boolean replayable;
        /** The forwarding headers are added (at the first backend attempt, after the algorithm read the request). */
        boolean readyForBackends;
        int replayBytes;
        int connectFailures;
        int retries;
        boolean sawFull;
        String lastFailure;
        boolean requestComplete;
        BackendState backend;
        BackendConnections connections;
        BackendHandler backendHandler;
        String backendName = "-";
        Channel backendChannel;
        boolean fresh;
        boolean inFlight;
        long sentNanos;
        boolean responseStarted;
        boolean interim;
        boolean switching;
        boolean backendKeepAlive;
        boolean closeClient;
        int status;
        long bytesIn;
        long bytesOut;

        /** {@code host}: the {@code Host} header as the client sent it, see {@link RequestInfo}. */
        Exchange(HttpRequest request, String host, boolean keepAlive, boolean upgrade, boolean bodiless) {
            this.request = request;
            this.info = new RequestInfo(request, host);
            this.method = request.method().name();
            this.clientKeepAlive = keepAlive;
            this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
            this.upgrade = upgrade;
            this.head = request.method().equals(HttpMethod.HEAD);
            this.bodiless = bodiless;
        }

        void releaseBodies() {
            pending.forEach(ReferenceCountUtil::release);
            pending = List.of();
            releaseReplay();
        }

        void releaseReplay() {
            replay.forEach(ReferenceCountUtil::release);
            replay = List.of();
            replayBytes = 0;
        }

        /** {@code list} with {@code content} added: the list itself, or a new one in place of the shared empty one. */
        static List<HttpContent> added(List<HttpContent> list, HttpContent content) {
            List<HttpContent> to = list.isEmpty() ? new ArrayList<>(2) : list;
            to.add(content);
            return to;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.client = ctx.channel();
        this.readWhileProxying = Boolean.TRUE.equals(client.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE));
    }

    /** Tells the HTTP/1.1 encoder whether the next response answers a HEAD (HTTP/2 streams need no telling). */
    private void headResponse(boolean head) {
        if (codec != null) {
            codec.encoder().headResponse(head);
        }
    }

    // ---- client side

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject object) || phase == Phase.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (queued.isEmpty() && accepts(object)) {
            dispatch(object);
        } else {
            queued.add(object);
            client.config().setAutoRead(false);
        }
    }

    private boolean accepts(HttpObject object) {
        if (object instanceof HttpRequest) {
            return phase == Phase.WAITING;
        }
        return skipEmptyEnd || x != null && !x.requestComplete;
    }

    private void dispatch(HttpObject object) {
        if (object instanceof HttpRequest request) {
            startRequest(request);
        } else if (skipEmptyEnd && object instanceof LastHttpContent) {
            skipEmptyEnd = false;
            ReferenceCountUtil.release(object);
        } else if (object instanceof HttpContent content) {
            requestContent(content);
        } else {
            ReferenceCountUtil.release(object);
        }
    }

    private void drainQueued() {
        while (!queued.isEmpty() && phase != Phase.CLOSED && accepts(queued.peek())) {
            dispatch(queued.poll());
        }
    }

    private void startRequest(HttpRequest request) {
        listener.metrics().request();
        if (headTimeout != null) {
            headTimeout.headReceived();
        }
        if (request instanceof RelayedRequest relayed) {
            // Checked by its scanner: no body, one Host, nothing to refuse. Its head goes out as bytes.
            begin(new Exchange(relayed, null, relayed.keepAlive(), false, true), false);
            return;
        }
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(request);
            Throwable cause = result.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : HttpResponseStatus.BAD_REQUEST;
            String why = status == HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    ? "request head larger than max-header-size (" + http.maxHeaderSize() + " bytes)"
                    : status == HttpResponseStatus.REQUEST_URI_TOO_LONG
                    ? "request line longer than max-request-line (" + http.maxRequestLine() + " bytes)"
                    : "malformed request: " + message(cause);
            respondError(null, status, why);
            return;
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            // A reverse proxy is no forward proxy: tunnelling to any host named by the client is not offered.
            respondError(null, HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT " + request.uri()
                    + " refused: this is a reverse proxy");
            return;
        }
        boolean endedWithHead = false;
        if (codec == null) {
            // An HTTP/2 stream: a request whose stream ended with its headers comes whole; no end follows it.
            if (request instanceof FullHttpRequest full) {
                endedWithHead = true;
                request = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
                full.release();
            }
            for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
                request.headers().remove(name.text());
            }
        }
        RequestFraming framing = RequestFraming.of(request);
        String problem = framing.problem();
        if (problem != null) {
            respondError(null, HttpResponseStatus.BAD_REQUEST, problem + " in " + request.method() + " "
                    + request.uri());
            return;
        }
        if (codec == null && !endedWithHead && !HttpUtil.isContentLengthSet(request)) {
            // HTTP/2 frames the body itself; the backend gets it chunked.
            HttpUtil.setTransferEncodingChunked(request, true);
            framing.chunkedByProxy();
        }
        long length = HttpUtil.getContentLength(request, -1L);
        if (http.maxBodySize() > 0 && length > http.maxBodySize()) {
            respondError(null, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Content-Length " + length
                    + " exceeds max-body-size (" + http.maxBodySize() + " bytes) in " + request.method() + " "
                    + request.uri());
            return;
        }
        Exchange ex = new Exchange(request, request.headers().get(HttpHeaderNames.HOST), framing.keepAlive(),
                framing.upgrade(), !framing.chunked() && HttpUtil.getContentLength(request, 0L) == 0);
        HeaderRewriter.endToEnd(request, ex.upgrade, framing.connectionNamesHeaders());
        begin(ex, !endedWithHead);
    }

    /**
     * Starts proxying a request whose head was read and accepted; {@code emptyEndFollows} when the decoder will still
     * send the (empty) end of a request without a body.
     */
    private void begin(Exchange ex, boolean emptyEndFollows) {
        x = ex;
        if (ex.bodiless) {
            ex.requestComplete = true;
            skipEmptyEnd = emptyEndFollows;
        }
        ex.replayable = http.retries().allows(ex.method) && !ex.upgrade;
        phase = Phase.CONNECTING;
        if (!readWhileProxying || !ex.requestComplete || ex.upgrade) {
            client.config().setAutoRead(false);
        }
        connectNext(ex);
    }

    /** The client's IP address as text (for X-Forwarded-For), made once per connection. */
    private String clientAddress() {
        if (clientAddressText == null) {
            clientAddressText = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
        }
        return clientAddressText;
    }

    private void requestContent(HttpContent content) {
        Exchange ex = x;
        if (content.decoderResult().isFailure()) {
            Throwable cause = content.decoderResult().cause();
            content.release();
            abortRequest(ex, HttpResponseStatus.BAD_REQUEST, "malformed request body: " + message(cause));
            return;
        }
        ex.bytesIn += content.content().readableBytes();
        if (http.maxBodySize() > 0 && ex.bytesIn > http.maxBodySize()) {
            content.release();
            abortRequest(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body exceeds max-body-size ("
                    + http.maxBodySize() + " bytes)");
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            ex.requestComplete = true;
        }
        if (phase != Phase.FORWARDING) {
            ex.pending = Exchange.added(ex.pending, content);
            return;
        }
        send(ex, content);
        if (last && x == ex) {
            ex.backendChannel.flush();
            requestSent(ex, System.nanoTime()); // the body's end
        }
        updateReading();
    }

    /** Writes request body to the backend, keeping a copy while the request may still be replayed. */
    private void send(Exchange ex, HttpContent content) {
        if (ex.replayable) {
            int size = content.content().readableBytes();
            if (ex.replayBytes + size <= REPLAY_LIMIT) {
                ex.replay = Exchange.added(ex.replay, content.retainedDuplicate());
                ex.replayBytes += size;
            } else {
                ex.releaseReplay();
                ex.replayable = false;
            }
        }
        ex.backendChannel.write(content, ex.backendChannel.voidPromise());
    }

    /** The request body turned out bad or too large part way. */
    private void abortRequest(Exchange ex, HttpResponseStatus status, String why) {
        if (ex.backendChannel != null) {
            finishBackend(ex, false);
        }
        if (ex.responseStarted) {
            log.info("listener {}: closing {} during {} {}: {}", listener.name(), client.remoteAddress(), ex.method,
                    ex.info.path(), why);
            closeClient(true);
            return;
        }
        respondError(ex, status, why);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange ex = x;
        if (ex != null && ex.backendChannel != null) {
            ex.backendChannel.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange ex = x;
        if (ex != null && ex.backendChannel != null) {
            ex.backendChannel.config().setAutoRead(client.isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // Only with half-closure allowed. Between requests or in the middle of a request body, this is the end
            // of the connection, as it is without half-closure; after a whole request, its answer goes out first.
            inputShut = true;
            if (x == null || !x.requestComplete) {
                client.close();
            }
        } else if (evt == HeadTimeout.EVENT) {
            if (phase == Phase.WAITING && x == null) {
                respondError(null, HttpResponseStatus.REQUEST_TIMEOUT, "no complete request head within "
                        + "header-timeout (" + http.headerTimeout().toMillis() + "ms)");
            }
        } else if (evt instanceof IdleStateEvent) {
            if (x != null) {
                log.info("listener {}: closing {} during {} {}: nothing moved for idle-timeout ({}ms)",
                        listener.name(), client.remoteAddress(), x.method, x.info.path(),
                        listener.config().idleTimeout().toMillis());
            }
            client.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = Phase.CLOSED;
        Exchange ex = x;
        x = null;
        if (ex != null) {
            if (ex.backendChannel != null) {
                finishBackend(ex, false);
            }
            cancelTimer(ex);
            if (!ex.switching) {
                log(ex);
            }
            ex.releaseBodies();
        }
        stopResponseCheck();
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopResponseCheck();
        releaseQueued();
        if (x != null) {
            x.releaseBodies();
        }
    }

    private void releaseQueued() {
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("listener {}: client {} failed: {}", listener.name(), client.remoteAddress(), cause.toString());
        client.close();
    }

    /**
     * The client is read while a request body streams and the backend can take it, between requests, and (plain
     * HTTP/1.1) while a complete request is proxied.
     */
    private void updateReading() {
        boolean read = switch (phase) {
            case WAITING -> queued.isEmpty();
            case CONNECTING -> readsAlong();
            case FORWARDING -> x.requestComplete ? readsAlong() : x.backendChannel.isWritable();
            default -> false;
        };
        if (client.config().isAutoRead() != read) {
            client.config().setAutoRead(read);
            if (read && client.parent() != null) {
                // An HTTP/2 stream that reads again gives the client back the flow-control window it consumed. Netty
                // writes that WINDOW_UPDATE but skips the flush while the connection is between a read and its
                // read-complete, and that read-complete flushes only for streams that read in it. io_uring reports a
                // backend's write completing right there, and the client's upload waited for window forever.
                client.parent().flush();
            }
        }
    }

    /** Whether the client stays read while its complete request is proxied (see {@link #readWhileProxying}). */
    private boolean readsAlong() {
        return readWhileProxying && x.requestComplete && !x.upgrade && queued.isEmpty();
    }

    /**
     * The listener is stopping: close now if between requests, else once the current response is complete (it says
     * {@code Connection: close} if its head is not yet sent). Called on this connection's event loop.
     */
    void drain() {
        draining = true;
        if (phase == Phase.WAITING && x == null) {
            phase = Phase.CLOSED;
            client.close();
        }
    }

    // ---- choosing and reaching a backend

    private void connectNext(Exchange ex) {
        BackendState backend;
        long now = ex.tried.isEmpty() ? ex.startNanos : System.nanoTime(); // a retry starts later: read afresh
        try {
            backend = BackendSelector.select(listener.pool(), (InetSocketAddress) client.remoteAddress(),
                    Protocol.HTTP, ex.info, ex.tried.size(), ex.tried, now);
        } catch (RuntimeException e) {
            // A plugin's bug must cost one request, not the connection or the event loop.
            log.error("listener {}: the algorithm of pool {} failed to pick for {} {}", listener.name(),
                    listener.pool().name(), ex.method, ex.info.path(), e);
            respondError(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "the algorithm of pool "
                    + listener.pool().name() + " failed: " + e);
            return;
        }
        if (backend == null) {
            if (ex.tried.isEmpty()) {
                respondError(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy backend in pool "
                        + listener.pool().name());
            } else if (ex.sawFull && ex.connectFailures == 0 && ex.retries == 0) {
                respondError(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "every backend of pool "
                        + listener.pool().name() + " has max-backend-connections (" + http.maxBackendConnections()
                        + ") open");
            } else {
                respondError(ex, HttpResponseStatus.BAD_GATEWAY, ex.lastFailure + "; no other backend left to try");
            }
            return;
        }
        if (ex.tried.isEmpty()) {
            ex.tried = List.of(backend); // the usual single pick; a retry makes a list that grows
        } else {
            List<BackendState> tried = new ArrayList<>(ex.tried);
            tried.add(backend);
            ex.tried = tried;
        }
        ex.backendName = backend.name();
        BackendConnections connections = listener.connections(backend);
        Channel idle = connections.reuse(client.eventLoop(), now);
        if (idle != null) {
            connected(ex, connections, idle, false);
            return;
        }
        connections.open(client.eventLoop(), new BackendConnections.Callback() {
            @Override
            public void opened(Channel channel) {
                connected(ex, connections, channel, true);
            }

            @Override
            public void failed(Throwable cause) {
                listener.pool().outcomes().connectFailed(backend, cause);
                if (x != ex || phase != Phase.CONNECTING) {
                    return;
                }
                ex.connectFailures++;
                ex.lastFailure = "connect to backend " + backend.name() + " failed: " + message(cause);
                if (ex.connectFailures >= listener.config().connectAttempts()) {
                    respondError(ex, cause instanceof ConnectTimeoutException ? HttpResponseStatus.GATEWAY_TIMEOUT
                            : HttpResponseStatus.BAD_GATEWAY, ex.lastFailure + " (" + ex.connectFailures
                            + " failed connect(s), connect-attempts is " + listener.config().connectAttempts() + ")");
                } else {
                    log.debug("listener {}: {}; trying another backend", listener.name(), ex.lastFailure);
                    listener.metrics().retry();
                    connectNext(ex);
                }
            }

            @Override
            public void full() {
                if (x != ex || phase != Phase.CONNECTING) {
                    return;
                }
                ex.sawFull = true;
                if (ex.lastFailure == null) {
                    ex.lastFailure = "backend " + backend.name() + " has max-backend-connections open";
                }
                connectNext(ex);
            }
        });
    }

    /** A connection for {@code ex} is ready: reused from the pool, or {@code fresh}ly opened. */
    private void connected(Exchange ex, BackendConnections connections, Channel channel, boolean fresh) {
        if (x != ex || phase != Phase.CONNECTING || !client.isActive()) {
            connections.release(channel); // nothing was sent on it: still clean
            return;
        }
        attach(ex, connections, channel, fresh);
    }

    private void attach(Exchange ex, BackendConnections connections, Channel channel, boolean fresh) {
        BackendState backend = connections.backend();
        ex.backend = backend;
        ex.connections = connections;
        ex.backendChannel = channel;
        ex.fresh = fresh;
        ex.backendHandler = channel.pipeline().get(BackendHandler.class);
        // The response comes as bytes when the client speaks HTTP/1.1 here: its head then needs only cutting.
        ex.backendHandler.attach(this, ex.head, codec != null && !ex.http10 && !ex.upgrade);
        backend.requestStarted();
        ex.inFlight = true;
        channel.config().setAutoRead(client.isWritable());
        phase = Phase.FORWARDING;
        ex.sentNanos = System.nanoTime();
        if (ex.request instanceof RelayedRequest relayed) {
            channel.write(relayed.forBackend(channel.alloc(), http.preserveHost() ? null : connections.hostHeader(),
                    http.forwardedHeaders(), clientAddress(), listener.scheme()), channel.voidPromise());
        } else {
            if (!ex.readyForBackends) {
                ex.readyForBackends = true;
                HeaderRewriter.forBackends(ex.request, http.forwardedHeaders(), clientAddress(), listener.scheme(),
                        codec == null);
            }
            if (!http.preserveHost()) {
                ex.request.headers().set(HttpHeaderNames.HOST, connections.hostHeader());
            }
            channel.write(ex.request, channel.voidPromise());
            if (ex.bodiless) {
                channel.write(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
            }
        }
        for (HttpContent copy : ex.replay) {
            channel.write(copy.retainedDuplicate(), channel.voidPromise());
        }
        List<HttpContent> pending = ex.pending;
        ex.pending = List.of();
        for (HttpContent content : pending) {
            if (x != ex || ex.backendChannel != channel) {
                content.release(); // the write above failed at once and the exchange moved on
                continue;
            }
            send(ex, content);
        }
        if (x != ex || ex.backendChannel != channel) {
            return;
        }
        channel.flush();
        if (x == ex && ex.backendChannel == channel) {
            if (ex.requestComplete) {
                requestSent(ex, ex.sentNanos); // written just now, with its body if it has one
            }
            updateReading();
        }
    }

    /** The whole request went out at {@code now}: the backend's answer is awaited from then. */
    private void requestSent(Exchange ex, long now) {
        if (ex.responseStarted || awaitingResponse == ex) {
            return;
        }
        awaitingResponse = ex;
        long timeout = http.responseTimeout().toNanos();
        responseDeadline = now + timeout;
        if (responseCheck == null) {
            responseCheck = ctx.executor().schedule(this::checkResponseTimeout, timeout, TimeUnit.NANOSECONDS);
        }
    }

    private void checkResponseTimeout() {
        responseCheck = null;
        Exchange ex = awaitingResponse;
        if (ex == null || phase == Phase.CLOSED) {
            return; // answered in time; the next requestSent schedules again
        }
        long left = responseDeadline - System.nanoTime();
        if (left > 0) {
            responseCheck = ctx.executor().schedule(this::checkResponseTimeout, left, TimeUnit.NANOSECONDS);
            return;
        }
        awaitingResponse = null;
        if (x == ex && !ex.responseStarted && ex.backendChannel != null) {
            finishBackend(ex, false);
            respondError(ex, HttpResponseStatus.GATEWAY_TIMEOUT, "backend " + ex.backendName
                    + " did not answer within response-timeout (" + http.responseTimeout().toMillis() + "ms)");
        }
    }

    /** Stops the response timeout for {@code ex}; a check still pending finds nothing to do, or the next exchange. */
    private void cancelTimer(Exchange ex) {
        if (awaitingResponse == ex) {
            awaitingResponse = null;
        }
    }

    /** The connection is done: the pending check goes, so that the loop does not hold this handler until then. */
    private void stopResponseCheck() {
        awaitingResponse = null;
        if (responseCheck != null) {
            responseCheck.cancel(false);
            responseCheck = null;
        }
    }

    /** Ends the exchange's use of its backend connection: back to the pool when {@code reuse}, else closed. */
    private void finishBackend(Exchange ex, boolean reuse) {
        Channel channel = ex.backendChannel;
        ex.backendChannel = null;
        cancelTimer(ex);
        if (channel == null) {
            return;
        }
        if (ex.inFlight) {
            ex.inFlight = false;
            ex.backend.requestEnded();
        }
        ex.backendHandler.detach();
        if (reuse) {
            channel.config().setAutoRead(true);
            ex.connections.release(channel);
        } else {
            channel.close();
        }
    }

    // ---- backend side (called by BackendHandler on this loop)

    void backendRead(Object msg) {
        Exchange ex = x;
        if (ex == null || phase != Phase.FORWARDING || ex.backendChannel == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof RelayedResponse relayed) {
            if (relayed instanceof RelayedResponse.Body body) {
                responseContent(ex, body, body.last());
            } else {
                relayedHead(ex, (RelayedResponse.Head) relayed);
            }
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                backendBroken(ex, "sent an invalid response: " + message(response.decoderResult().cause()));
                return;
            }
            responseHead(ex, response);
            if (msg instanceof HttpContent content && x == ex) {
                responseContent(ex, content, content instanceof LastHttpContent);
            }
            return;
        }
        if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                Throwable cause = content.decoderResult().cause();
                content.release();
                backendBroken(ex, "sent an invalid response body: " + message(cause));
                return;
            }
            responseContent(ex, content, content instanceof LastHttpContent);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    /** The backend's first response byte: the latencies are taken, and the request can no longer be retried. */
    private void responseBegins(Exchange ex) {
        if (!ex.responseStarted) {
            ex.responseStarted = true;
            cancelTimer(ex);
            long now = System.nanoTime();
            ex.backend.recordLatency(now - ex.sentNanos);
            listener.metrics().firstByteLatency(now - ex.startNanos);
            ex.releaseReplay();
            ex.replayable = false;
        }
    }

    /** The final response's status is known: it is recorded, and the backend's outcome reported. */
    private void finalStatus(Exchange ex, int code, boolean backendKeepAlive) {
        ex.status = code;
        listener.pool().outcomes().responded(ex.backend, code);
        ex.backendKeepAlive = backendKeepAlive;
    }

    /** Whether the client connection closes after this response. */
    private boolean closesClient(Exchange ex) {
        return !ex.clientKeepAlive || !ex.requestComplete || draining;
    }

    /**
     * A final response head relayed as bytes (an HTTP/1.1 client, a Content-Length body): only lines to add. A whole
     * small body may have come with it, then the response is done.
     */
    private void relayedHead(Exchange ex, RelayedResponse.Head head) {
        responseBegins(ex);
        finalStatus(ex, head.status(), head.keepAlive());
        ex.closeClient = closesClient(ex);
        boolean whole = head.whole();
        head.finish(http.forwardedHeaders(), ex.closeClient);
        client.write(head, client.voidPromise());
        if (whole) {
            ex.bytesOut += head.contentLength();
            if (x == ex && ex.backendChannel != null) {
                responseDone(ex);
            }
        }
    }

    private void responseHead(Exchange ex, HttpResponse response) {
        responseBegins(ex);
        int code = response.status().code();
        if (code == 101) {
            ex.status = code;
            listener.pool().outcomes().responded(ex.backend, code);
            if (!ex.upgrade) {
                backendBroken(ex, "switched protocols on a request that asked for no upgrade");
                return;
            }
            ex.switching = true;
            HeaderRewriter.prepareResponse(response, true, http.forwardedHeaders());
            headResponse(false);
            client.write(response, client.voidPromise());
            return;
        }
        if (code >= 100 && code < 200) {
            // Interim (100 Continue, 103 Early Hints): passed on; the final response follows.
            ex.interim = true;
            HeaderRewriter.prepareResponse(response, false, http.forwardedHeaders());
            headResponse(false);
            client.write(response, client.voidPromise());
            return;
        }
        finalStatus(ex, code, HttpUtil.isKeepAlive(response));
        HeaderRewriter.prepareResponse(response, false, http.forwardedHeaders());
        boolean close = closesClient(ex);
        boolean bodyless = ex.head || code == 204 || code == 304;
        if (!bodyless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            // The backend delimits this body by closing; the client gets it chunked (or close-delimited on 1.0).
            if (ex.http10) {
                close = true;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        if (ex.http10 && HttpUtil.isTransferEncodingChunked(response)) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            close = true;
        }
        ex.closeClient = close;
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.http10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        headResponse(ex.head);
        client.write(response, client.voidPromise());
    }

    /** A piece of the response body, decoded ({@link HttpContent}) or relayed ({@link RelayedResponse.Body}). */
    private void responseContent(Exchange ex, ByteBufHolder content, boolean last) {
        ex.bytesOut += content.content().readableBytes();
        client.write(content, client.voidPromise());
        if (x != ex || ex.backendChannel == null) {
            return;
        }
        if (!last) {
            if (!client.isWritable()) {
                ex.backendChannel.config().setAutoRead(false);
            }
            return;
        }
        if (ex.interim) {
            ex.interim = false;
            client.flush();
        } else if (ex.switching) {
            switchProtocols(ex);
        } else {
            responseDone(ex);
        }
    }

    private void responseDone(Exchange ex) {
        boolean reuse = ex.backendKeepAlive && ex.requestComplete && ex.backendChannel.isActive();
        // Accounted before the client can see the end of the response.
        finishBackend(ex, reuse);
        client.flush();
        log(ex);
        ex.releaseBodies();
        x = null;
        if (ex.closeClient || draining) {
            closeClient(!ex.requestComplete);
            return;
        }
        phase = Phase.WAITING;
        if (headTimeout != null) {
            headTimeout.awaitNext();
        }
        drainQueued();
        if (phase == Phase.WAITING) {
            updateReading();
            closeIfInputShut();
        }
    }

    /** Closes the client once it has shut its side and every request it sent is answered. */
    private void closeIfInputShut() {
        if (inputShut && x == null && queued.isEmpty() && phase == Phase.WAITING) {
            closeClient(false);
        }
    }

    /** After {@code 101 Switching Protocols}: both connections become a plain byte relay. */
    private void switchProtocols(Exchange ex) {
        Channel backendChannel = ex.backendChannel;
        ex.backendChannel = null;
        if (ex.inFlight) {
            ex.inFlight = false;
            ex.backend.requestEnded();
        }
        log(ex);
        x = null;
        phase = Phase.CLOSED;
        client.flush();
        // The tunnel ends when either side closes, as a TCP relay without half-closure does.
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        TunnelHandler toBackend = new TunnelHandler(backendChannel);
        TunnelHandler toClient = new TunnelHandler(client);
        client.pipeline().addLast("tunnel", toBackend);
        backendChannel.pipeline().addLast("tunnel", toClient);
        backendChannel.pipeline().remove(BackendHandler.class);
        backendChannel.pipeline().remove("codec");
        client.pipeline().remove(this);
        // The HeadTimeout stays: it also times the tunnel's idleness (its head clock is stopped by now).
        if (codec != null) {
            client.pipeline().remove(codec);
        }
        toBackend.start();
        toClient.start();
    }

    /** The backend closed or failed during the exchange. */
    void backendClosed(Throwable cause) {
        Exchange ex = x;
        if (ex == null || ex.backendChannel == null) {
            return;
        }
        finishBackend(ex, false);
        String what = cause == null ? "closed the connection" : "failed (" + message(cause) + ")";
        if (ex.responseStarted) {
            log.warn("listener {}: backend {} {} in the middle of the response to {} {} from {}; closing the client",
                    listener.name(), ex.backendName, what, ex.method, ex.info.path(), client.remoteAddress());
            log(ex);
            x = null;
            ex.releaseBodies();
            client.flush();
            client.close();
            return;
        }
        if (ex.fresh) {
            // A reused connection closing under us is the keep-alive race, not a sign of a sick backend.
            listener.pool().outcomes().resetBeforeResponse(ex.backend);
        }
        ex.lastFailure = "backend " + ex.backendName + " " + what + " before answering";
        if (ex.replayable && ex.retries < http.retries().attempts()) {
            ex.retries++;
            listener.metrics().retry();
            log.debug("listener {}: {}; retrying {} {} on another backend (retry {} of {})", listener.name(),
                    ex.lastFailure, ex.method, ex.info.path(), ex.retries, http.retries().attempts());
            phase = Phase.CONNECTING;
            client.config().setAutoRead(false);
            connectNext(ex);
            return;
        }
        String why = !http.retries().allows(ex.method) ? "; " + ex.method + " is not retried (retries.methods: "
                + http.retries().sortedMethods() + ")"
                : ex.retries >= http.retries().attempts() && http.retries().attempts() > 0
                ? "; retries exhausted (" + ex.retries + ")"
                : !ex.replayable && !ex.upgrade ? "; its body is too large to replay" : "";
        respondError(ex, HttpResponseStatus.BAD_GATEWAY, ex.lastFailure + why);
    }

    /** The backend broke the protocol: it is closed, and the client gets 502 or, mid-response, is closed. */
    private void backendBroken(Exchange ex, String what) {
        finishBackend(ex, false);
        if (ex.responseStarted && ex.status != 101) {
            log.warn("listener {}: backend {} {}; closing client {}", listener.name(), ex.backendName, what,
                    client.remoteAddress());
            log(ex);
            x = null;
            client.close();
            return;
        }
        respondError(ex, HttpResponseStatus.BAD_GATEWAY, "backend " + ex.backendName + " " + what);
    }

    void backendIdle() {
        Exchange ex = x;
        if (ex == null || ex.backendChannel == null) {
            return;
        }
        if (!ex.responseStarted) {
            finishBackend(ex, false);
            respondError(ex, HttpResponseStatus.GATEWAY_TIMEOUT, "backend " + ex.backendName
                    + " was silent for idle-timeout (" + listener.config().idleTimeout().toMillis() + "ms)");
        } else {
            backendBroken(ex, "was silent for idle-timeout mid-response");
        }
    }

    void backendWritabilityChanged() {
        if (phase == Phase.FORWARDING) {
            updateReading();
        }
    }

    void flushToClient() {
        client.flush();
    }

    // ---- answers of the proxy's own

    /**
     * Answers the current request (or the unreadable one) with {@code status}, says why in the log, and keeps the
     * connection only when the request was read whole and the client wants to keep it.
     */
    private void respondError(Exchange ex, HttpResponseStatus status, String why) {
        String client = String.valueOf(this.client.remoteAddress());
        if (ex == null) {
            log.info("listener {}: {} for {}: {}", listener.name(), status.code(), client, why);
            finished(null, null, status.code(), null, 0, 0, 0);
        } else {
            if (ex.backendChannel != null) {
                finishBackend(ex, false);
            }
            ex.status = status.code();
            if (status.code() >= 500) {
                log.warn("listener {}: {} for {} {} from {}: {}", listener.name(), status.code(), ex.method,
                        ex.info.path(), client, why);
            } else {
                log.info("listener {}: {} for {} {} from {}: {}", listener.name(), status.code(), ex.method,
                        ex.info.path(), client, why);
            }
            log(ex);
            ex.releaseBodies();
        }
        boolean keepAlive = ex != null && ex.requestComplete && ex.clientKeepAlive && phase != Phase.CLOSED
                && !ex.upgrade && !draining;
        x = null;
        headResponse(ex != null && ex.head);
        ChannelFuture written = this.client.writeAndFlush(ErrorResponses.of(this.client.alloc(), status, !keepAlive));
        if (keepAlive) {
            phase = Phase.WAITING;
            if (headTimeout != null) {
                headTimeout.awaitNext();
            }
            drainQueued();
            if (phase == Phase.WAITING) {
                updateReading();
                closeIfInputShut();
            }
        } else {
            phase = Phase.CLOSED;
            closeAfter(written, ex == null || !ex.requestComplete);
        }
    }

    /**
     * Closes the client once {@code written} is out. With {@code linger}, the client may still be sending (a body
     * we refused): shut our output, then drop what it sends for a moment, so that closing with unread data does not
     * reset the connection before the client has read our answer.
     */
    private void closeAfter(ChannelFuture written, boolean linger) {
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !linger || !(client instanceof DuplexChannel duplex)
                    || client.pipeline().get(SslHandler.class) != null) {
                client.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                client.config().setAutoRead(true);
                client.eventLoop().schedule(() -> client.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            });
        });
    }

    private void closeClient(boolean linger) {
        phase = Phase.CLOSED;
        closeAfter(client.writeAndFlush(Unpooled.EMPTY_BUFFER), linger);
    }

    private void log(Exchange ex) {
        String backend = "-".equals(ex.backendName) ? null : ex.backendName;
        // The path is split out of the URI only when a line is written (or an algorithm asked for it).
        String path = listener.accessLog().enabled() ? ex.info.path() : null;
        finished(ex.method, path, ex.status, backend, ex.bytesIn, ex.bytesOut,
                System.nanoTime() - ex.startNanos);
    }

    /**
     * One request is over: its figures go to the listener's metrics and its line to the access log. A status of 0
     * means the client got no answer (it went away, or the backend broke mid-response).
     */
    private void finished(String method, String path, int status, String backend, long bytesIn, long bytesOut,
            long nanos) {
        TrafficMetrics metrics = listener.metrics();
        if (status > 0) {
            metrics.response(status);
        }
        metrics.bytesIn(bytesIn);
        metrics.bytesOut(bytesOut);
        metrics.totalLatency(nanos);
        AccessLog accessLog = listener.accessLog();
        if (!accessLog.enabled()) {
            return;
        }
        Map<String, Object> fields = new HashMap<>();
        if (client.remoteAddress() instanceof InetSocketAddress address) {
            fields.put("client", address.getAddress().getHostAddress() + ":" + address.getPort());
        }
        fields.put("listener", listener.name());
        fields.put("protocol", listener.scheme());
        fields.put("pool", listener.pool().name());
        fields.put("backend", backend);
        fields.put("method", method);
        fields.put("uri", path); // without the query, which may carry secrets
        fields.put("status", status);
        fields.put("bytes_in", bytesIn);
        fields.put("bytes_out", bytesOut);
        fields.put("duration_ms", String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        accessLog.log(fields);
    }

    private static String message(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}

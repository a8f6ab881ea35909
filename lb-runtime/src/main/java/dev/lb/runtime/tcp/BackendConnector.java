package dev.lb.runtime.tcp;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.metrics.TrafficMetrics;
import dev.lb.runtime.pool.BackendSelector;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.Transport;
import dev.lb.spi.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of a client connection: picks a backend, connects to it from the client's own event loop, tries
 * the next backend (never one already tried) when a connect fails, and once connected hands both channels to
 * {@link RelayHandler}s. The client is not read (autoRead off) until then, so nothing needs buffering.
 */
final class BackendConnector extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendConnector.class);

    private final ListenerConfig listener;
    private final Pool pool;
    private final Transport transport;
    private final LbMetrics metrics;
    private final TrafficMetrics listenerMetrics;
    private final List<BackendState> tried = new ArrayList<>(2);
    /**
     * Bytes read before the backend is connected. With autoRead off this stays empty except when the client closes
     * early: epoll then still reads what is left (at most one read loop) so it can report the end of input.
     */
    private final List<Object> early = new ArrayList<>(0);
    private boolean clientInputEnded;
    private ChannelFuture pending;

    BackendConnector(ListenerConfig listener, Pool pool, Transport transport, LbMetrics metrics,
            TrafficMetrics listenerMetrics) {
        this.listener = listener;
        this.pool = pool;
        this.transport = transport;
        this.metrics = metrics;
        this.listenerMetrics = listenerMetrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectNext(ctx);
        ctx.fireChannelActive();
    }

    private void connectNext(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        int attempt = tried.size();
        // One clock reading serves the pick (slow start's time) and the connect latency.
        long started = System.nanoTime();
        BackendState backend = BackendSelector.select(pool, (InetSocketAddress) client.remoteAddress(), Protocol.TCP,
                null, attempt, tried, started);
        if (backend == null) {
            if (attempt == 0) {
                log.debug("listener {}: pool {} has no eligible backend, closing {}", listener.name(), pool.name(),
                        client.remoteAddress());
            } else {
                log.warn("listener {}: no other eligible backend in pool {} after {} failed connect(s), closing {}",
                        listener.name(), pool.name(), attempt, client.remoteAddress());
            }
            client.close();
            return;
        }
        // Picks and backend retries are counted by the pool's outcomes (OutcomeMetrics); the listener's here.
        if (attempt > 0) {
            listenerMetrics.retry();
        }
        tried.add(backend);
        Bootstrap bootstrap = transport.backendBootstrap(client.eventLoop(), listener.connectTimeout())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter());
        pending = bootstrap.connect(backend.address());
        pending.addListener((ChannelFutureListener) future -> {
            pending = null;
            if (future.isSuccess()) {
                pool.outcomes().connected(backend);
                connected(ctx, backend, future.channel(), System.nanoTime() - started);
                return;
            }
            if (future.isCancelled()) {
                return; // the client went away first: nothing was learnt about the backend
            }
            pool.outcomes().connectFailed(backend, future.cause()); // counted in the metrics too (OutcomeMetrics)
            if (!client.isActive()) {
                return;
            }
            int failures = tried.size();
            if (failures >= listener.connectAttempts()) {
                log.warn("listener {}: giving up on {} after {} failed connect(s), last to {}: {}",
                        listener.name(), client.remoteAddress(), failures, backend.name(), message(future.cause()));
                client.close();
            } else {
                log.debug("listener {}: connect to backend {} failed (attempt {} of {}): {}", listener.name(),
                        backend.name(), failures, listener.connectAttempts(), message(future.cause()));
                connectNext(ctx);
            }
        });
    }

    private void connected(ChannelHandlerContext ctx, BackendState backend, Channel backendChannel, long connectNanos) {
        backend.recordLatency(connectNanos);
        backend.connectionOpened();
        TrafficMetrics backendMetrics = metrics.backend(pool.name(), backend.name());
        backendMetrics.connectLatency(connectNanos);
        listenerMetrics.connectLatency(connectNanos);
        backendMetrics.connectionOpened();
        long opened = System.nanoTime();
        backendChannel.closeFuture().addListener(f -> {
            backend.connectionClosed();
            backendMetrics.connectionClosed();
            backendMetrics.totalLatency(System.nanoTime() - opened);
        });
        Channel client = ctx.channel();
        if (!client.isActive()) {
            backendChannel.close();
            return;
        }
        long idleNanos = listener.idleTimeout() == null ? 0 : listener.idleTimeout().toNanos();
        Relay relay = new Relay(client, backendChannel, backend.name(), listenerMetrics, backendMetrics, idleNanos);
        client.attr(TcpListener.RELAY).set(relay);
        backendChannel.pipeline().replace(backendChannel.pipeline().first(), "relay", new RelayHandler(relay));
        for (Object msg : early) {
            if (msg instanceof ByteBuf bytes) {
                relay.relayed(client, bytes.readableBytes());
            }
            backendChannel.write(msg, backendChannel.voidPromise());
        }
        early.clear();
        backendChannel.flush();
        boolean inputEnded = clientInputEnded;
        ctx.pipeline().replace(this, "relay", new RelayHandler(relay));
        backendChannel.config().setAutoRead(true);
        if (inputEnded) {
            relay.inputEnded(client);
        } else {
            client.config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // The client finished sending before we reached a backend: forward the half-close once connected.
            clientInputEnded = true;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ChannelFuture connecting = pending;
        if (connecting != null) {
            // The client left while we were connecting for it: the backend connection is closed on success.
            connecting.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("listener {}: client {} failed before relaying: {}", listener.name(), ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }

    private static String message(Throwable cause) {
        return cause == null ? "unknown" : cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}

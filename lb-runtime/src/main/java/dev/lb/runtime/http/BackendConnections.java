package dev.lb.runtime.http;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.pool.BackendState;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.IdleTimeout;
import dev.lb.runtime.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keep-alive connections from one listener to one backend: at most {@code max-backend-connections} open at once,
 * busy or idle. Idle connections are kept per event loop, so a request always reuses a connection of its client's own
 * loop and no channel is ever touched from two threads; a new connection is opened on the client's loop too.
 *
 * <p>An idle connection is reused only within {@code backend-idle-timeout} of its last use, and closed after: a
 * backend closes idle connections too, and a request must not be sent on one it is closing at that moment.
 *
 * <p>{@link #acquire} and {@link #release} run on the event loop given; only the open count is shared (an atomic).
 */
final class BackendConnections {

    /** What became of an {@link #acquire}. Called on the requesting event loop. */
    interface Callback {
        /** A connection is ready; {@code fresh} when just opened rather than reused. */
        void acquired(Channel channel, boolean fresh);

        /** A new connection could not be opened. */
        void failed(Throwable cause);

        /** The backend already has its maximum of connections open from this listener. */
        void full();
    }

    private final ListenerConfig listener;
    private final BackendState backend;
    private final Pool pool;
    private final Transport transport;
    private final SslContext tls;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final long idleNanos;
    private final Map<EventLoop, IdleQueue> idle = new ConcurrentHashMap<>();
    private final ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    /** Set once the backend has left the pool, see {@link #retire()}. */
    private volatile boolean retired;
    /** The backend's address as a {@code Host} header value, made once rather than per request. */
    private final String hostHeader;

    BackendConnections(ListenerConfig listener, BackendState backend, Pool pool, Transport transport, SslContext tls) {
        this.listener = listener;
        this.backend = backend;
        this.pool = pool;
        this.transport = transport;
        this.tls = tls;
        this.max = listener.http().maxBackendConnections();
        this.idleNanos = listener.http().backendIdleTimeout().toNanos();
        this.hostHeader = backend.address().getHostString() + ":" + backend.address().getPort();
    }

    /** A connection waiting for reuse since {@code sinceNanos}. */
    private record Idle(Channel channel, long sinceNanos) {
    }

    /**
     * The idle connections of one event loop, oldest first, touched only on that loop. Connections idle past
     * {@code backend-idle-timeout} are closed by one pending sweep per queue, not a timer per release: a timer per
     * request would keep one task per request of the last 30 s in the loop's scheduled-task queue (over a million at
     * tens of thousands of requests a second), each a priority-queue insert and live heap the GC copies.
     */
    private final class IdleQueue {
        final ArrayDeque<Idle> connections = new ArrayDeque<>();
        final EventLoop loop;
        boolean sweepPending;

        IdleQueue(EventLoop loop) {
            this.loop = loop;
        }

        void add(Channel channel) {
            connections.addLast(new Idle(channel, System.nanoTime()));
            if (!sweepPending) {
                sweepPending = true;
                loop.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
            }
        }

        /** Closes the connections unused for backend-idle-timeout, and comes back when the oldest left is due. */
        private void sweep() {
            sweepPending = false;
            long now = System.nanoTime();
            Idle oldest;
            while ((oldest = connections.peekFirst()) != null && now - oldest.sinceNanos() >= idleNanos) {
                connections.pollFirst();
                oldest.channel().close();
            }
            if (oldest != null) {
                sweepPending = true;
                loop.schedule(this::sweep, oldest.sinceNanos() + idleNanos - now, TimeUnit.NANOSECONDS);
            }
        }
    }

    BackendState backend() {
        return backend;
    }

    /** {@code host:port} of the backend, for the {@code Host} header of requests sent to it. */
    String hostHeader() {
        return hostHeader;
    }

    /** Connections open now, busy or idle. */
    int open() {
        return open.get();
    }

    /** Idle connections kept for {@code loop}. */
    int idle(EventLoop loop) {
        IdleQueue queue = idle.get(loop);
        return queue == null ? 0 : queue.connections.size();
    }

    /** Gives an idle connection of {@code loop}, or opens one on it, or says the backend is full. */
    void acquire(EventLoop loop, Callback callback) {
        IdleQueue pooled = idle.get(loop);
        if (pooled != null) {
            ArrayDeque<Idle> queue = pooled.connections;
            long now = System.nanoTime();
            Idle candidate;
            while ((candidate = queue.pollLast()) != null) {
                if (now - candidate.sinceNanos() > idleNanos) {
                    // The newest is too old, so all are: the backend may be closing them right now.
                    candidate.channel().close();
                    queue.forEach(older -> older.channel().close());
                    queue.clear();
                    break;
                }
                if (candidate.channel().isActive()) {
                    callback.acquired(candidate.channel(), false);
                    return;
                }
            }
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            callback.full();
            return;
        }
        connect(loop, callback);
    }

    private void connect(EventLoop loop, Callback callback) {
        long silenceNanos = listener.idleTimeout().toNanos();
        Bootstrap bootstrap = transport.backendBootstrap(loop, listener.connectTimeout())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(channel.alloc(), backend.address().getHostString(),
                                    backend.address().getPort());
                            channel.pipeline().addLast("tls", ssl);
                        }
                        BackendCodec codec = new BackendCodec();
                        channel.pipeline().addLast("codec", codec);
                        channel.pipeline().addLast("idle", new IdleTimeout(silenceNanos));
                        channel.pipeline().addLast("backend",
                                new BackendHandler(BackendConnections.this, codec.decoder()));
                    }
                });
        ChannelFuture connecting = bootstrap.connect(backend.address());
        connecting.addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                open.decrementAndGet();
                callback.failed(future.cause());
                return;
            }
            Channel channel = future.channel();
            all.add(channel);
            backend.httpConnectionOpened();
            channel.closeFuture().addListener(closed -> {
                open.decrementAndGet();
                backend.httpConnectionClosed();
            });
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                pool.outcomes().connected(backend);
                callback.acquired(channel, true);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    pool.outcomes().connected(backend);
                    callback.acquired(channel, true);
                } else {
                    channel.close();
                    callback.failed(new javax.net.ssl.SSLException("TLS handshake failed: "
                            + handshake.cause().getMessage(), handshake.cause()));
                }
            });
        });
    }

    /** Puts a connection that finished an exchange cleanly back for reuse; called on its event loop. */
    void release(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        if (retired) {
            channel.close(); // the backend left the pool: nothing will reuse it
            return;
        }
        EventLoop loop = channel.eventLoop();
        IdleQueue queue = idle.get(loop); // the common case takes no lock
        if (queue == null) {
            queue = idle.computeIfAbsent(loop, IdleQueue::new);
        }
        queue.add(channel);
    }

    /** Forgets a connection that closed while idle; called on its event loop. */
    void closedWhileIdle(Channel channel) {
        IdleQueue queue = idle.get(channel.eventLoop());
        if (queue != null) {
            queue.connections.removeIf(entry -> entry.channel() == channel);
        }
    }

    /**
     * The backend left the pool (a reload): idle connections are closed now, busy ones once their exchange ends, and
     * none is kept for reuse any more.
     */
    void retire() {
        retired = true;
        idle.forEach((loop, queue) -> loop.execute(() -> {
            Idle entry;
            while ((entry = queue.connections.pollFirst()) != null) {
                entry.channel().close();
            }
        }));
    }

    /** Closes every connection to this backend, idle or busy. */
    void closeAll() {
        all.close();
    }
}

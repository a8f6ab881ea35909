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
 * <p>{@link #reuse}, {@link #open} and {@link #release} run on the event loop given; only the open count is shared
 * (an atomic).
 */
final class BackendConnections {

    /** What became of an {@link #open}. Called on the requesting event loop. */
    interface Callback {
        /** The new connection is ready. */
        void opened(Channel channel);

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

    /**
     * The idle connections of one event loop, oldest first, with the time each became idle, touched only on that
     * loop. Kept in two parallel ring arrays rather than a deque of entries, so that putting a connection back (once
     * per request) allocates nothing. Connections idle past {@code backend-idle-timeout} are closed by one pending
     * sweep per queue, not a timer per release: a timer per request would keep one task per request of the last
     * 30 s in the loop's scheduled-task queue (over a million at tens of thousands of requests a second), each a
     * priority-queue insert and live heap the GC copies.
     */
    private final class IdleQueue {
        final EventLoop loop;
        private Channel[] channels = new Channel[8];
        private long[] since = new long[8];
        /** Index of the oldest entry. */
        private int first;
        private int size;
        boolean sweepPending;

        IdleQueue(EventLoop loop) {
            this.loop = loop;
        }

        int size() {
            return size;
        }

        private int slot(int index) {
            return (first + index) & (channels.length - 1);
        }

        void add(Channel channel) {
            if (size == channels.length) {
                grow();
            }
            int slot = slot(size++);
            channels[slot] = channel;
            since[slot] = System.nanoTime();
            if (!sweepPending) {
                sweepPending = true;
                loop.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void grow() {
            Channel[] moreChannels = new Channel[channels.length * 2];
            long[] moreSince = new long[channels.length * 2];
            for (int i = 0; i < size; i++) {
                moreChannels[i] = channels[slot(i)];
                moreSince[i] = since[slot(i)];
            }
            channels = moreChannels;
            since = moreSince;
            first = 0;
        }

        /** The newest connection still fit for reuse at {@code now}, or null; those too old are closed. */
        Channel takeNewest(long now) {
            while (size > 0) {
                int slot = slot(--size);
                Channel channel = channels[slot];
                channels[slot] = null;
                if (now - since[slot] > idleNanos) {
                    // The newest is too old, so all are: the backend may be closing them right now.
                    channel.close();
                    closeAll();
                    return null;
                }
                if (channel.isActive()) {
                    return channel;
                }
            }
            return null;
        }

        private Channel pollOldest() {
            Channel channel = channels[first];
            channels[first] = null;
            first = (first + 1) & (channels.length - 1);
            size--;
            return channel;
        }

        void closeAll() {
            while (size > 0) {
                pollOldest().close();
            }
        }

        /** Forgets {@code channel}, which closed while idle. */
        void remove(Channel channel) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                int from = slot(i);
                Channel entry = channels[from];
                if (entry != channel) {
                    int to = slot(kept++);
                    channels[to] = entry;
                    since[to] = since[from];
                }
            }
            for (int i = kept; i < size; i++) {
                channels[slot(i)] = null;
            }
            size = kept;
        }

        /** Closes the connections unused for backend-idle-timeout, and comes back when the oldest left is due. */
        private void sweep() {
            sweepPending = false;
            long now = System.nanoTime();
            while (size > 0 && now - since[first] >= idleNanos) {
                pollOldest().close();
            }
            if (size > 0) {
                sweepPending = true;
                loop.schedule(this::sweep, since[first] + idleNanos - now, TimeUnit.NANOSECONDS);
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
        return queue == null ? 0 : queue.size();
    }

    /**
     * An idle connection of {@code loop} fit for reuse at {@code now} (a recent {@code System.nanoTime()}), taken out
     * of the pool; null when there is none.
     */
    Channel reuse(EventLoop loop, long now) {
        IdleQueue pooled = idle.get(loop);
        return pooled == null ? null : pooled.takeNewest(now);
    }

    /** Opens a new connection on {@code loop}, or says the backend is full. */
    void open(EventLoop loop, Callback callback) {
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
                callback.opened(channel);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    pool.outcomes().connected(backend);
                    callback.opened(channel);
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
            queue.remove(channel);
        }
    }

    /**
     * The backend left the pool (a reload): idle connections are closed now, busy ones once their exchange ends, and
     * none is kept for reuse any more.
     */
    void retire() {
        retired = true;
        idle.forEach((loop, queue) -> loop.execute(queue::closeAll));
    }

    /** Closes every connection to this backend, idle or busy. */
    void closeAll() {
        all.close();
    }
}

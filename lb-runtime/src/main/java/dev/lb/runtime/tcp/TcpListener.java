package dev.lb.runtime.tcp;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.LoggingConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.metrics.TrafficMetrics;
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
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.HashMap;
import java.util.Map;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer-4 listener: each accepted client is connected to a backend of the pool and bytes are relayed both ways,
 * with backpressure, half-close and an idle timeout. See {@link BackendConnector} and {@link RelayHandler}.
 */
public final class TcpListener implements Listener {

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    /** The relay of a client channel, once its backend is connected; read for the access log. */
    static final AttributeKey<Relay> RELAY = AttributeKey.valueOf("lb.relay");

    private final ListenerConfig config;
    private final Pool pool;
    private final Transport transport;
    private final LbMetrics metrics;
    private final TrafficMetrics listenerMetrics;
    private final AccessLog accessLog;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile Channel serverChannel;
    private volatile InetSocketAddress boundAddress;

    /**
     * A listener for {@code config}, sending clients to {@code pool}, its figures recorded on a private registry;
     * nothing is bound until {@link #start()}.
     */
    public TcpListener(ListenerConfig config, Pool pool, Transport transport) {
        this(config, pool, transport, new LbMetrics(), new AccessLog(LoggingConfig.DEFAULT_ACCESS_LOG_FORMAT));
    }

    /**
     * A listener for {@code config}, sending clients to {@code pool}, recording its figures in {@code metrics} and one
     * line per connection in {@code accessLog}; nothing is bound until {@link #start()}.
     */
    public TcpListener(ListenerConfig config, Pool pool, Transport transport, LbMetrics metrics,
            AccessLog accessLog) {
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.listenerMetrics = metrics.listener(config.name());
        if (config.connectAttempts() < 1) {
            throw new IllegalArgumentException("listener " + config.name() + ": connect-attempts must be at least 1, was "
                    + config.connectAttempts());
        }
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
        long idleNanos = config.idleTimeout() == null ? 0 : config.idleTimeout().toNanos();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.bossGroup(), transport.workerGroup())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.add(channel);
                        listenerMetrics.connectionOpened();
                        long opened = System.nanoTime();
                        channel.closeFuture().addListener(f -> {
                            long lasted = System.nanoTime() - opened;
                            listenerMetrics.connectionClosed();
                            listenerMetrics.totalLatency(lasted);
                            if (accessLog.enabled()) {
                                accessLog.log(accessFields(channel, lasted));
                            }
                        });
                        if (idleNanos > 0) {
                            channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleNanos,
                                    TimeUnit.NANOSECONDS));
                        }
                        channel.pipeline().addLast("connect", new BackendConnector(config, pool, transport, metrics,
                                listenerMetrics));
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.bind()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new ListenerBindException(config.name(), config.bind(), bound.cause());
        }
        serverChannel = bound.channel();
        boundAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("listener {}: tcp on {}:{} -> pool {}", config.name(), boundAddress.getHostString(),
                boundAddress.getPort(), pool.name());
    }

    private Map<String, Object> accessFields(Channel channel, long lastedNanos) {
        Map<String, Object> fields = new HashMap<>();
        if (channel.remoteAddress() instanceof InetSocketAddress client) {
            fields.put("client", client.getAddress().getHostAddress() + ":" + client.getPort());
        }
        fields.put("listener", config.name());
        fields.put("protocol", "tcp");
        fields.put("pool", pool.name());
        Relay relay = channel.attr(RELAY).get();
        if (relay != null) {
            fields.put("backend", relay.backendName());
            fields.put("bytes_in", relay.bytesFromClient());
            fields.put("bytes_out", relay.bytesFromBackend());
        }
        fields.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(lastedNanos));
        return fields;
    }

    @Override
    public InetSocketAddress boundAddress() {
        InetSocketAddress address = boundAddress;
        if (address == null) {
            throw new IllegalStateException("listener " + config.name() + " is not started");
        }
        return address;
    }

    @Override
    public void stopAccepting() {
        Channel channel = serverChannel;
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    @Override
    public int openConnections() {
        return connections.size();
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
        return true;
    }

    /** True: a TCP listener keeps nothing per backend. */
    @Override
    public boolean followsPoolMembership() {
        return true;
    }

    @Override
    public void closeConnections() {
        connections.close();
    }
}

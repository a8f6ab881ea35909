package dev.lb.runtime.tcp;

import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.LoggingConfig;
import dev.lb.runtime.logging.AccessLog;
import dev.lb.runtime.metrics.LbMetrics;
import dev.lb.runtime.metrics.TrafficMetrics;
import dev.lb.runtime.pool.Pool;
import dev.lb.runtime.transport.AbstractListener;
import dev.lb.runtime.transport.IdleTimeout;
import dev.lb.runtime.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A layer-4 listener: each accepted client is connected to a backend of the pool and bytes are relayed both ways,
 * with backpressure, half-close and an idle timeout. See {@link BackendConnector} and {@link RelayHandler}.
 */
public final class TcpListener extends AbstractListener {

    /** The relay of a client channel, once its backend is connected; read for the access log. */
    static final AttributeKey<Relay> RELAY = AttributeKey.valueOf("lb.relay");

    private final LbMetrics metrics;
    private final TrafficMetrics listenerMetrics;
    private final AccessLog accessLog;

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
        super(config, pool, transport);
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.listenerMetrics = metrics.listener(config.name());
        if (config.connectAttempts() < 1) {
            throw new IllegalArgumentException("listener " + config.name() + ": connect-attempts must be at least 1, was "
                    + config.connectAttempts());
        }
    }

    @Override
    protected String scheme() {
        return "tcp";
    }

    /** Reads start once the backend is connected; each side may half-close while the other still sends. */
    @Override
    protected void configureChildOptions(ServerBootstrap bootstrap) {
        bootstrap.childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    @Override
    protected ChannelInitializer<Channel> childInitializer() {
        long idleNanos = config.idleTimeout() == null ? 0 : config.idleTimeout().toNanos();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                track(channel);
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
                    channel.pipeline().addLast("idle", new IdleTimeout(idleNanos));
                }
                channel.pipeline().addLast("connect", new BackendConnector(config, pool, transport, metrics,
                        listenerMetrics));
            }
        };
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

    /** True: a TCP listener keeps nothing per backend. */
    @Override
    public boolean followsPoolMembership() {
        return true;
    }
}

package dev.lb.harness.l4;

import dev.lb.harness.backend.DummyBackend;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.probes.TcpProbeProvider;
import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.NotifierConfig;
import dev.lb.runtime.config.PluginSpec;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.spi.EventType;
import dev.lb.spi.PluginKind;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A load balancer with one TCP listener on a free loopback port and one pool {@code app} of the given backends, round
 * robin, built from an {@link LbConfig} as a configuration file would give it.
 */
final class L4Proxy implements AutoCloseable {

    final LoadBalancer lb;
    final RecordingNotifier notifier = new RecordingNotifier();

    private L4Proxy(Builder builder) throws ConfigException {
        List<BackendConfig> backends = new ArrayList<>(builder.extra);
        for (DummyBackend backend : builder.backends) {
            backends.add(new BackendConfig(backend.name(), backend.address(), 1, Map.of()));
        }
        HealthConfig health = builder.interval == null ? null : new HealthConfig(
                new PluginSpec(PluginKind.HEALTH_PROBE, "tcp", ConfigMap.empty("pools.app.health.probe")),
                builder.interval, builder.probeTimeout, builder.rise, builder.fall);
        PoolConfig pool = new PoolConfig("app",
                new PluginSpec(PluginKind.ALGORITHM, "round-robin", ConfigMap.empty("pools.app.algorithm")),
                backends, health);
        ListenerConfig listener = new ListenerConfig("l4", Protocol.TCP,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "app", builder.connectTimeout,
                builder.connectAttempts, builder.idleTimeout);
        NotifierConfig notifierConfig = new NotifierConfig(
                new PluginSpec(PluginKind.NOTIFIER, "recording", ConfigMap.empty("notifiers[0]")),
                EnumSet.allOf(EventType.class), 100, 1);
        LbConfig config = new LbConfig(null, List.of(listener), Map.of("app", pool), List.of(notifierConfig), null,
                Duration.ofSeconds(5));
        PluginCatalog catalog = PluginCatalog.of(List.of(
                new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "test"),
                new LoadedPlugin(PluginKind.HEALTH_PROBE, new TcpProbeProvider(), "test"),
                new LoadedPlugin(PluginKind.NOTIFIER, new RecordingNotifier.Provider(notifier), "test")));
        lb = LoadBalancer.builder(config, catalog).workerThreads(2)
                .nativeTransport(builder.nativeTransport).build();
        lb.start();
    }

    static Builder builder(DummyBackend... backends) {
        return new Builder(List.of(backends));
    }

    /** Where clients connect. */
    InetSocketAddress address() {
        return lb.boundAddress("l4");
    }

    @Override
    public void close() {
        lb.close(Duration.ofSeconds(1));
    }

    static final class Builder {

        private final List<DummyBackend> backends;
        private final List<BackendConfig> extra = new ArrayList<>();
        private Duration interval;
        // Generous: a loaded test machine must not turn a slow connect into a flap.
        private Duration probeTimeout = Duration.ofSeconds(2);
        private int rise = 2;
        private int fall = 2;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int connectAttempts = 3;
        private Duration idleTimeout = Duration.ofMinutes(1);
        private boolean nativeTransport = true;

        private Builder(List<DummyBackend> backends) {
            this.backends = backends;
        }

        /** Health checks with a TCP connect every {@code interval}, each allowed 2s. */
        Builder health(Duration interval, int rise, int fall) {
            this.interval = interval;
            this.rise = rise;
            this.fall = fall;
            return this;
        }

        /** Puts a backend that is not a {@link DummyBackend} first in the pool. */
        Builder firstBackend(String name, InetSocketAddress address) {
            extra.add(new BackendConfig(name, address, 1, Map.of()));
            return this;
        }

        /** False forces the Java NIO transport instead of native epoll. */
        Builder nativeTransport(boolean enabled) {
            this.nativeTransport = enabled;
            return this;
        }

        Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        Builder connectAttempts(int attempts) {
            this.connectAttempts = attempts;
            return this;
        }

        Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        L4Proxy start() throws ConfigException {
            return new L4Proxy(this);
        }
    }
}

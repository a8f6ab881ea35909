package dev.lb.harness.http;

import dev.lb.harness.backend.DummyBackend;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.probes.TcpProbeProvider;
import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.runtime.config.HealthConfig;
import dev.lb.runtime.config.HttpListenerConfig;
import dev.lb.runtime.http.HttpListener;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.LoggingConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.PluginSpec;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.config.TlsConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.transport.TransportKind;
import dev.lb.spi.PluginKind;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A load balancer with one {@code http} listener on a free loopback port in front of one pool {@code app} of the
 * given backends, built from an {@link LbConfig} as a configuration file would give it.
 */
final class HttpProxy implements AutoCloseable {

    final LoadBalancer lb;
    private final String scheme;
    private final Builder builder;

    private HttpProxy(Builder builder) throws ConfigException {
        this.builder = builder;
        PluginCatalog catalog = PluginCatalog.of(List.of(
                new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "test"),
                new LoadedPlugin(PluginKind.ALGORITHM, new RoutingAlgorithm.Provider(), "test"),
                new LoadedPlugin(PluginKind.HEALTH_PROBE, new TcpProbeProvider(), "test")));
        scheme = builder.tls == null ? "http" : "https";
        LoadBalancer.Builder lbBuilder = LoadBalancer.builder(config(builder.backends), catalog).workerThreads(2);
        if (builder.transport != null) {
            lbBuilder.transport(builder.transport);
        }
        lb = lbBuilder.build();
        lb.start();
    }

    /** The configuration, as a file would give it, with {@code members} (and the builder's extras) in pool app. */
    private LbConfig config(List<DummyBackend> members) {
        List<BackendConfig> backends = new ArrayList<>(builder.extra);
        for (DummyBackend backend : members) {
            backends.add(new BackendConfig(backend.name(), backend.address(), 1, Map.of()));
        }
        HealthConfig health = builder.interval == null ? null : new HealthConfig(
                new PluginSpec(PluginKind.HEALTH_PROBE, "tcp", ConfigMap.empty("pools.app.health.probe")),
                builder.interval, Duration.ofSeconds(2), 1, 1);
        PoolConfig pool = new PoolConfig("app",
                new PluginSpec(PluginKind.ALGORITHM, builder.algorithm, ConfigMap.empty("pools.app.algorithm")),
                backends, health);
        ListenerConfig listener = new ListenerConfig("web", Protocol.HTTP,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "app", builder.connectTimeout,
                builder.connectAttempts, builder.idleTimeout, builder.http.apply(HttpListenerConfig.DEFAULTS),
                builder.tls);
        return new LbConfig(null, List.of(listener), Map.of("app", pool), List.of(), null,
                Duration.ofSeconds(5), null, new LoggingConfig(Map.of(), builder.accessLogFormat));
    }

    /** Reloads the same configuration with {@code members} as pool app's backends. */
    void reloadWithBackends(DummyBackend... members) throws ConfigException {
        lb.reload(config(List.of(members)));
    }

    static Builder builder(DummyBackend... backends) {
        return new Builder(List.of(backends));
    }

    /** The HTTP listener itself. */
    HttpListener listener() {
        return (HttpListener) lb.listener("web");
    }

    /** Where clients connect. */
    InetSocketAddress address() {
        return lb.boundAddress("web");
    }

    /** {@code scheme://127.0.0.1:port} + {@code path}. */
    URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + address().getPort() + path);
    }

    @Override
    public void close() {
        lb.close(Duration.ofSeconds(1));
    }

    static final class Builder {

        private final List<DummyBackend> backends;
        private final List<BackendConfig> extra = new ArrayList<>();
        private String algorithm = "round-robin";
        private Duration interval;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int connectAttempts = 3;
        private Duration idleTimeout = Duration.ofMinutes(1);
        private UnaryOperator<HttpListenerConfig> http = UnaryOperator.identity();
        private TlsConfig tls;
        private String accessLogFormat;
        private TransportKind transport;

        private Builder(List<DummyBackend> backends) {
            this.backends = backends;
        }

        /** The pool's algorithm: {@code round-robin} (default) or {@value RoutingAlgorithm#NAME}. */
        Builder algorithm(String name) {
            this.algorithm = name;
            return this;
        }

        /** TCP health checks every {@code interval}; one failure takes a backend down, one pass brings it up. */
        Builder health(Duration every) {
            this.interval = every;
            return this;
        }

        /** Puts a backend that is not a {@link DummyBackend} first in the pool. */
        Builder firstBackend(String name, InetSocketAddress address) {
            extra.add(new BackendConfig(name, address, 1, Map.of()));
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

        /** Changes the listener's HTTP settings, starting from the defaults. */
        Builder http(UnaryOperator<HttpListenerConfig> change) {
            UnaryOperator<HttpListenerConfig> before = this.http;
            this.http = settings -> change.apply(before.apply(settings));
            return this;
        }

        /** The {@code logging.access-log-format}; the default one when not set. */
        Builder accessLogFormat(String format) {
            this.accessLogFormat = format;
            return this;
        }

        /** How the proxy's event loops do I/O; by default as {@link TransportKind#configured()} says. */
        Builder transport(TransportKind kind) {
            this.transport = kind;
            return this;
        }

        /** Terminates TLS with these PEM files. */
        Builder tls(TlsConfig settings) {
            this.tls = settings;
            return this;
        }

        HttpProxy start() throws ConfigException {
            return new HttpProxy(this);
        }
    }
}

package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.runtime.config.BackendConfig;
import dev.lb.runtime.config.LbConfig;
import dev.lb.runtime.config.ListenerConfig;
import dev.lb.runtime.config.PluginSpec;
import dev.lb.runtime.config.PoolConfig;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.runtime.server.LoadBalancer;
import dev.lb.runtime.config.ConfigException;
import dev.lb.runtime.config.ConfigMap;
import dev.lb.runtime.tcp.TcpListener;
import dev.lb.runtime.transport.Listener;
import dev.lb.runtime.transport.ListenerBindException;
import dev.lb.spi.PluginKind;
import dev.lb.spi.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoadBalancerLifecycleTest {

    private static final PluginCatalog PLUGINS = PluginCatalog.of(List.of(
            new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "test")));

    private static LbConfig config(InetSocketAddress bind, Protocol protocol, String algorithm, InetSocketAddress backend) {
        PoolConfig pool = new PoolConfig("app",
                new PluginSpec(PluginKind.ALGORITHM, algorithm, ConfigMap.empty("pools.app.algorithm")),
                List.of(new BackendConfig("a", backend, 1, Map.of())), null);
        ListenerConfig listener = new ListenerConfig("front", protocol, bind, "app", Duration.ofSeconds(1), 3,
                Duration.ofMinutes(1));
        return new LbConfig(null, List.of(listener), Map.of("app", pool), List.of(), null, Duration.ofSeconds(2));
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void aPortInUseIsAClearErrorNamingTheListenerAndAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoadBalancer lb = LoadBalancer.builder(config(loopback(taken.getLocalPort()), Protocol.TCP, "round-robin",
                    loopback(1)), PLUGINS).workerThreads(1).build();
            ListenerBindException error = assertThrows(ListenerBindException.class, lb::start);
            assertTrue(error.getMessage().startsWith("listener front: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": "), error.getMessage());
        }
    }

    @Test
    void anUnknownPluginNamesTheSettingAndTheKnownOnes() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> LoadBalancer.builder(config(loopback(0), Protocol.TCP, "round-robn", loopback(1)), PLUGINS)
                        .build());
        assertEquals("pools.app.algorithm.type: unknown algorithm \"round-robn\" (known: round-robin)", error.getMessage());
    }

    @Test
    void aModuleCanReplaceTheListenerFactoryOfAProtocol() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a")) {
            // Replaces the built-in HTTP listener by the TCP one through the extension point.
            LoadBalancer lb = LoadBalancer.builder(config(loopback(0), Protocol.HTTP, "round-robin", a.address()),
                            PLUGINS)
                    .addModule(binder -> LoadBalancer.listenerFactories(binder).addBinding(Protocol.HTTP)
                            .toInstance(TcpListener::new))
                    .workerThreads(1).build();
            try {
                lb.start();
                assertEquals("a", Client.identityThrough(lb.boundAddress("front")));
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
        }
    }

    /** A listener that keeps per-backend state fixed at start: it cannot follow its pool's members. */
    private record Fixed(Listener delegate) implements Listener {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public InetSocketAddress boundAddress() {
            return delegate.boundAddress();
        }

        @Override
        public void stopAccepting() {
            delegate.stopAccepting();
        }

        @Override
        public int openConnections() {
            return delegate.openConnections();
        }

        @Override
        public boolean awaitConnectionsClosed(Duration timeout) throws InterruptedException {
            return delegate.awaitConnectionsClosed(timeout);
        }

        @Override
        public void closeConnections() {
            delegate.closeConnections();
        }
    }

    @Test
    void aReloadChangingMembersALimitedListenerCannotFollowIsRefusedAndChangesNothing() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a"); DummyTcpBackend b = DummyTcpBackend.start("b")) {
            LbConfig running = config(loopback(0), Protocol.TCP, "round-robin", a.address());
            LoadBalancer lb = LoadBalancer.builder(running, PLUGINS)
                    .addModule(binder -> LoadBalancer.listenerFactories(binder).addBinding(Protocol.TCP)
                            .toInstance((settings, pool, transport) -> new Fixed(
                                    new TcpListener(settings, pool, transport))))
                    .workerThreads(1).build();
            try {
                lb.start();
                PoolConfig pool = running.pools().get("app");
                LbConfig next = new LbConfig(null, running.listeners(), Map.of("app", new PoolConfig("app",
                        pool.algorithm(), List.of(pool.backends().get(0), new BackendConfig("b", b.address(), 1,
                                Map.of())), null)), List.of(), null, Duration.ofSeconds(2));
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> lb.reload(next));
                assertTrue(refused.getMessage().startsWith("cannot reload: the backends of pool app changed, and"
                        + " listener front (tcp) fixes its per-backend state"), refused.getMessage());
                assertEquals(1, lb.pools().iterator().next().backends().size(), "nothing changed");
                assertEquals("a", Client.identityThrough(lb.boundAddress("front")));
            } finally {
                lb.close(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void boundAddressesAndShutdownHook() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a")) {
            LoadBalancer lb = LoadBalancer.builder(config(loopback(0), Protocol.TCP, "round-robin", a.address()),
                    PLUGINS).workerThreads(1).build();
            lb.start();
            InetSocketAddress bound = lb.boundAddress("front");
            assertTrue(bound.getPort() > 0);
            assertEquals(Map.of("front", bound), lb.boundAddresses());
            assertEquals("a", Client.identityThrough(bound));
            Thread hook = lb.installShutdownHook();
            assertEquals(hook, lb.installShutdownHook(), "installed once");
            assertTrue(lb.close(Duration.ofSeconds(1)));
            // Closing removed the hook: removing it again reports it was not registered.
            assertEquals(false, Runtime.getRuntime().removeShutdownHook(hook));
            assertThrows(IllegalArgumentException.class, () -> lb.boundAddress("nope"));
        }
    }
}

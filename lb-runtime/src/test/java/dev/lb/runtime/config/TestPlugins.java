package dev.lb.runtime.config;

import dev.lb.plugins.algorithms.RandomProvider;
import dev.lb.plugins.algorithms.RoundRobinProvider;
import dev.lb.plugins.notifiers.WebhookNotifierProvider;
import dev.lb.plugins.probes.HttpProbeProvider;
import dev.lb.runtime.plugin.LoadedPlugin;
import dev.lb.runtime.plugin.PluginCatalog;
import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.HealthProbe;
import dev.lb.spi.HealthProbeProvider;
import dev.lb.spi.Notifier;
import dev.lb.spi.NotifierProvider;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginKind;
import dev.lb.spi.ProbeResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The catalog the config tests load against: the real built-in algorithms, {@code http} probe and {@code webhook}
 * notifier, and small stand-ins for the {@code tcp}
 * probe and {@code log} notifier (written elsewhere) plus a {@code weighted} algorithm with settings of its own.
 */
public final class TestPlugins {

    /** Plugin instances closed so far, to prove validation closes what it creates. */
    static final AtomicInteger CLOSED = new AtomicInteger();

    private TestPlugins() {
    }

    public static PluginCatalog catalog() {
        return PluginCatalog.of(List.of(
                new LoadedPlugin(PluginKind.ALGORITHM, new RoundRobinProvider(), "built-in"),
                new LoadedPlugin(PluginKind.ALGORITHM, new RandomProvider(), "built-in"),
                new LoadedPlugin(PluginKind.ALGORITHM, new WeightedProvider(), "test"),
                new LoadedPlugin(PluginKind.HEALTH_PROBE, new TcpProbeProvider(), "test"),
                new LoadedPlugin(PluginKind.HEALTH_PROBE, new HttpProbeProvider(), "built-in"),
                new LoadedPlugin(PluginKind.NOTIFIER, new LogNotifierProvider(), "test"),
                new LoadedPlugin(PluginKind.NOTIFIER, new WebhookNotifierProvider(), "built-in")));
    }

    /** Resolves {@code localhost} and literal IPs only, so no test touches DNS. */
    static InetAddress resolve(String host) throws UnknownHostException {
        if (host.equals("localhost")) {
            return InetAddress.getByName("127.0.0.1");
        }
        if (!host.isEmpty() && (Character.isDigit(host.charAt(0)) || host.contains(":"))) {
            return InetAddress.getByName(host); // a literal: no lookup
        }
        throw new UnknownHostException(host);
    }

    public static ConfigLoader loader() {
        return new ConfigLoader(TestPlugins::resolve);
    }

    /** {@code weighted}: reads {@code smoothing} (0..1000), a nested {@code warmup} block, and rejects "odd". */
    static final class WeightedProvider implements AlgorithmProvider {
        @Override
        public String name() {
            return "weighted";
        }

        @Override
        public String description() {
            return "test algorithm with settings";
        }

        @Override
        public Algorithm create(PluginConfig config) {
            long smoothing = config.integer("smoothing", 10, 0, 1000);
            if (config.string("mode", "even").equals("odd")) {
                throw config.invalid("mode", "odd mode needs smoothing of at least 100");
            }
            config.section("warmup").ifPresent(w -> w.duration("period", Duration.ofSeconds(30)));
            return new Algorithm() {
                @Override
                public dev.lb.spi.Picker newPicker(dev.lb.spi.PoolSnapshot snapshot) {
                    return context -> snapshot.eligible().isEmpty() ? null
                            : snapshot.eligible().get((int) (smoothing % snapshot.eligible().size()));
                }

                @Override
                public void close() {
                    CLOSED.incrementAndGet();
                }
            };
        }
    }

    /** {@code tcp}: a stand-in with one setting, {@code send}. */
    static final class TcpProbeProvider implements HealthProbeProvider {
        @Override
        public String name() {
            return "tcp";
        }

        @Override
        public String description() {
            return "test tcp probe";
        }

        @Override
        public HealthProbe create(PluginConfig config) {
            config.string("send");
            return new HealthProbe() {
                @Override
                public java.util.concurrent.CompletionStage<ProbeResult> check(dev.lb.spi.ProbeTarget target) {
                    return CompletableFuture.completedFuture(ProbeResult.healthy());
                }

                @Override
                public void close() {
                    CLOSED.incrementAndGet();
                }
            };
        }
    }

    /** {@code log}: a stand-in with one setting, {@code level} (info or warn). */
    static final class LogNotifierProvider implements NotifierProvider {
        @Override
        public String name() {
            return "log";
        }

        @Override
        public String description() {
            return "test log notifier";
        }

        @Override
        public Notifier create(PluginConfig config) {
            String level = config.string("level", "info");
            if (!level.equals("info") && !level.equals("warn")) {
                throw new dev.lb.spi.PluginConfigException("level", "must be info or warn, was \"" + level + "\"");
            }
            return new Notifier() {
                @Override
                public void deliver(dev.lb.spi.HealthEvent event) {
                }

                @Override
                public void close() {
                    CLOSED.incrementAndGet();
                }
            };
        }
    }
}

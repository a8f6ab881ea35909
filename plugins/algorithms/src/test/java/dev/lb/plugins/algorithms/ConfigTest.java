package dev.lb.plugins.algorithms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.testkit.MapPluginConfig;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static PluginConfigException rejects(AlgorithmProvider provider, MapPluginConfig config) {
        return assertThrows(PluginConfigException.class, () -> provider.create(config));
    }

    @Test
    void allElevenAlgorithmsAreRegisteredUnderDistinctNames() {
        Set<String> names = ServiceLoader.load(AlgorithmProvider.class).stream()
                .map(p -> p.get().name())
                .collect(Collectors.toSet());
        assertEquals(Set.of("round-robin", "random", "weighted-round-robin", "weighted-random", "least-connections",
                "weighted-least-connections", "least-response-time", "peak-ewma", "power-of-two-choices", "ip-hash",
                "consistent-hash"), names);
        ServiceLoader.load(AlgorithmProvider.class).forEach(p -> assertTrue(!p.description().isBlank()));
    }

    @Test
    void everyAcceptedKeyIsReadSoNoneIsReportedUnknown() {
        List<Object[]> cases = List.of(
                new Object[] {new WeightedRoundRobinProvider(), MapPluginConfig.of("slow-start", "30s")},
                new Object[] {new WeightedRandomProvider(), MapPluginConfig.of("slow-start", "30s")},
                new Object[] {new LeastConnectionsProvider(), MapPluginConfig.of("slow-start", "30s", "choices", "4")},
                new Object[] {new LeastResponseTimeProvider(), MapPluginConfig.of("choices", "all")},
                new Object[] {new WeightedLeastConnectionsProvider(), MapPluginConfig.of("slow-start", "30s")},
                new Object[] {new LeastResponseTimeProvider(), MapPluginConfig.of("slow-start", "30s")},
                new Object[] {new PeakEwmaProvider(), MapPluginConfig.of("slow-start", "30s")},
                new Object[] {new PowerOfTwoChoicesProvider(), MapPluginConfig.of("slow-start", "30s")},
                new Object[] {new ConsistentHashProvider(), MapPluginConfig.of("key", "cookie:sid", "method", "ring",
                        "virtual-nodes", "100", "ring-size", "50000")},
                new Object[] {new ConsistentHashProvider(), MapPluginConfig.of("key", "path", "method", "maglev",
                        "table-size", "65537")},
                new Object[] {new IpHashProvider(), MapPluginConfig.of("method", "maglev", "table-size", "5003")});
        for (Object[] c : cases) {
            AlgorithmProvider provider = (AlgorithmProvider) c[0];
            MapPluginConfig config = (MapPluginConfig) c[1];
            provider.create(config).close();
            assertEquals(Set.of(), config.unreadKeys(), provider.name());
        }
        // A key an algorithm does not know stays unread, so the runtime reports it.
        MapPluginConfig p2c = MapPluginConfig.of("choices", "3");
        new PowerOfTwoChoicesProvider().create(p2c);
        assertEquals(Set.of("choices"), p2c.unreadKeys());
        MapPluginConfig stray = MapPluginConfig.of("slow-start", "1s", "replicas", "3");
        new WeightedRandomProvider().create(stray);
        assertEquals(Set.of("replicas"), stray.unreadKeys());
    }

    @Test
    void badSettingsAreRejectedWithClearMessages() {
        PluginConfigException e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("method", "rendezvous"));
        assertEquals("method", e.key());
        assertEquals("must be one of ring, maglev; was 'rendezvous'", e.getMessage());

        e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("method", "maglev", "table-size", "65536"));
        assertEquals("table-size", e.key());
        assertEquals("must be a prime number (Maglev needs one), was 65536; the nearest larger prime is 65537",
                e.getMessage());

        e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("method", "maglev", "virtual-nodes", "10"));
        assertEquals("virtual-nodes", e.key());
        assertEquals("applies only to method: ring", e.getMessage());

        e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("table-size", "7"));
        assertEquals("applies only to method: maglev", e.getMessage());

        e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("key", "query"));
        assertEquals("key", e.key());
        assertEquals("must be one of client-ip, path, header:<name>, cookie:<name>, was 'query'", e.getMessage());

        e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("key", "header:"));
        assertTrue(e.getMessage().startsWith("needs a header name after 'header:'"), e.getMessage());

        e = rejects(new IpHashProvider(), MapPluginConfig.of("key", "path"));
        assertTrue(e.getMessage().contains("use consistent-hash"), e.getMessage());

        e = rejects(new LeastConnectionsProvider(), MapPluginConfig.of("slow-start", "2h"));
        assertEquals("slow-start", e.key());
        assertEquals("must be between 0s (off) and 1h, was 7200s", e.getMessage());

        e = rejects(new WeightedLeastConnectionsProvider(), MapPluginConfig.of("choices", "1"));
        assertEquals("choices", e.key());
        assertEquals("must be 'auto' (exact up to 16 backends, else 4 random draws), 'all' (every backend, exact) or a"
                + " number of random draws from 2 to 64, was '1'",
                e.getMessage());
        assertEquals("choices", rejects(new LeastConnectionsProvider(), MapPluginConfig.of("choices", "many")).key());

        e = rejects(new ConsistentHashProvider(), MapPluginConfig.of("virtual-nodes", "0"));
        assertEquals("virtual-nodes", e.key());
    }

    @Test
    void aMaglevTableTooSmallForThePoolIsEnlargedToAPrime() {
        var backends = Pools.backends(20);
        var picker = Pools.picker(new ConsistentHashProvider(),
                MapPluginConfig.of("method", "maglev", "table-size", "7"),
                backends);
        java.util.Set<String> reached = new java.util.HashSet<>();
        for (int k = 0; k < 20_000; k++) {
            reached.add(picker.pick(Picks.tcp(k)).name());
        }
        assertEquals(20, reached.size());
    }

    @Test
    void everyAlgorithmReturnsNullWhenNothingIsEligible() {
        ServiceLoader.load(AlgorithmProvider.class).forEach(p -> assertEquals(null,
                p.create(MapPluginConfig.empty()).newPicker(Pools.snapshot(List.of())).pick(Picks.TCP), p.name()));
    }
}

package dev.lb.harness.bed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lb.runtime.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rewrite of a configuration onto stand-ins: what changes, and that nothing else does. */
class StandInTest {

    private static Map<String, Object> values(String yaml) throws Exception {
        return ConfigValues.root(new ConfigLoader().parse("t.yaml", yaml, Path.of("")).root());
    }

    @Test
    @SuppressWarnings("unchecked")
    void backendsListenersAndNotifiersAreReplacedTheRestKept() throws Exception {
        Map<String, Object> values = values("""
                listeners:
                  - { name: web, protocol: http, bind: 0.0.0.0:443, pool: app, connect-attempts: 2,
                      http: { response-timeout: 5s, backend-tls: { verify-hostname: false } } }
                pools:
                  app:
                    algorithm: { type: round-robin }
                    backends:
                      - 10.0.0.1:80
                      - { name: b, address: 10.0.0.2:80, weight: 3, labels: { zone: x } }
                      - { name: keep-me, address: 10.0.0.3:80 }
                    health: { probe: tcp, interval: 1s }
                notifiers: [ { type: webhook, url: "http://example.com/" } ]
                admin: { bind: 0.0.0.0:9900 }
                """);
        StandIn.rewrite(values, Map.of(
                "app\u0000" + "10.0.0.1:80", new InetSocketAddress("127.0.0.1", 4001),
                "app\u0000b", new InetSocketAddress("127.0.0.1", 4002)), Set.of("keep-me"));

        Map<String, Object> listener = ((List<Map<String, Object>>) values.get("listeners")).getFirst();
        assertEquals("127.0.0.1:0", listener.get("bind"));
        assertEquals(java.math.BigInteger.TWO, listener.get("connect-attempts"));
        Map<String, Object> http = (Map<String, Object>) listener.get("http");
        assertEquals("5s", http.get("response-timeout"));
        assertFalse(http.containsKey("backend-tls"), "the stand-ins speak plain HTTP");

        Map<String, Object> pool = (Map<String, Object>) ((Map<String, Object>) values.get("pools")).get("app");
        assertEquals(List.of(
                Map.of("address", "127.0.0.1:4001", "name", "10.0.0.1:80"),
                Map.of("name", "b", "address", "127.0.0.1:4002", "weight", java.math.BigInteger.valueOf(3),
                        "labels", Map.of("zone", "x")),
                Map.of("name", "keep-me", "address", "10.0.0.3:80")), pool.get("backends"));
        assertEquals(Map.of("type", "round-robin"), pool.get("algorithm"));
        assertEquals(Map.of("probe", "tcp", "interval", "1s"), pool.get("health"));

        assertEquals(List.of(Map.of("type", "harness-recorder")), values.get("notifiers"));
        assertEquals(Map.of("bind", "127.0.0.1:0"), values.get("admin"));
    }

    @Test
    void aBackendWithoutAStandInIsAnError() throws Exception {
        Map<String, Object> values = values("listeners: [{ name: x, bind: 127.0.0.1:0, pool: app }]\n"
                + "pools: { app: { backends: [127.0.0.1:1] } }\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StandIn.rewrite(values, Map.of(), Set.of()));
        assertEquals("no stand-in for backend 127.0.0.1:1 of pool app", e.getMessage());
    }
}

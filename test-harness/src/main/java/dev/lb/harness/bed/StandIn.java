package dev.lb.harness.bed;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a configuration, as plain values, so that it runs on loopback against stand-ins: backends point at new
 * addresses, listeners (and an admin endpoint) bind free ports of 127.0.0.1, TLS to backends is dropped (the stand-ins
 * speak plain HTTP), and notifiers are replaced by the {@link EventRecorder}. Everything else is left exactly as
 * written.
 */
final class StandIn {

    private static final String ANY_LOOPBACK_PORT = "127.0.0.1:0";

    private StandIn() {
    }

    /**
     * @param values the whole configuration, modified in place
     * @param addresses the new address of each backend, keyed {@code pool + "\0" + backend name}
     * @param keep names of backends left as they are
     */
    @SuppressWarnings("unchecked")
    static void rewrite(Map<String, Object> values, Map<String, InetSocketAddress> addresses, Set<String> keep) {
        if (values.get("listeners") instanceof List<?> listeners) {
            for (Object listener : listeners) {
                if (listener instanceof Map<?, ?> map) {
                    ((Map<String, Object>) map).put("bind", ANY_LOOPBACK_PORT);
                    // The stand-ins speak plain HTTP: TLS to the backends would only fail the handshake.
                    if (map.get("http") instanceof Map<?, ?> http) {
                        http.remove("backend-tls");
                    }
                }
            }
        }
        if (values.get("admin") instanceof Map<?, ?> admin && admin.containsKey("bind")) {
            ((Map<String, Object>) admin).put("bind", ANY_LOOPBACK_PORT);
        }
        if (values.get("pools") instanceof Map<?, ?> pools) {
            pools.forEach((poolName, pool) -> {
                if (pool instanceof Map<?, ?> poolMap && poolMap.get("backends") instanceof List<?> backends) {
                    ((Map<String, Object>) poolMap).put("backends",
                            rewriteBackends((String) poolName, backends, addresses, keep));
                }
            });
        }
        values.put("notifiers", List.of(Map.of("type", EventRecorder.PLUGIN_NAME)));
    }

    private static List<Object> rewriteBackends(String pool, List<?> backends, Map<String, InetSocketAddress> addresses,
            Set<String> keep) {
        List<Object> rewritten = new ArrayList<>();
        for (Object item : backends) {
            Map<String, Object> backend = new LinkedHashMap<>();
            if (item instanceof Map<?, ?> map) {
                map.forEach((k, v) -> backend.put((String) k, v));
            } else {
                backend.put("address", item);
            }
            // A backend without a name is named by its address as written; keep that name for the stand-in.
            backend.putIfAbsent("name", String.valueOf(backend.get("address")));
            String name = String.valueOf(backend.get("name"));
            if (!keep.contains(name)) {
                InetSocketAddress address = addresses.get(pool + "\u0000" + name);
                if (address == null) {
                    throw new IllegalStateException("no stand-in for backend " + name + " of pool " + pool);
                }
                backend.put("address", address.getAddress().getHostAddress() + ":" + address.getPort());
            }
            rewritten.add(backend);
        }
        return rewritten;
    }
}

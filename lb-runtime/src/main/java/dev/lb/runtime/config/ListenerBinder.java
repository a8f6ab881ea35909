package dev.lb.runtime.config;

import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code listeners}: each listener, unique names, no two on one address and port. */
final class ListenerBinder extends BinderSupport {

    ListenerBinder(BinderSupport shared) {
        super(shared);
    }

    List<ListenerConfig> readListeners(ConfigMap root, Optional<ConfigNode> node, Map<String, PoolConfig> pools,
                                       Path baseDir) {
        ConfigList list = requiredList(root, "listeners", node,
                "at least one listener, e.g. listeners: [{ name: web, bind: 127.0.0.1:8080, pool: app }]");
        List<ListenerConfig> listeners = new ArrayList<>();
        if (list == null) {
            return listeners;
        }
        Map<String, ConfigNode> names = new HashMap<>();
        List<Map.Entry<ListenerConfig, ConfigNode>> bindNodes = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            ConfigMap m = asMap(item, "a listener: a map with name, protocol, bind and pool");
            if (m == null) {
                continue;
            }
            String name = requiredString(m, "name", "a name unique among listeners, e.g. name: web");
            if (name != null) {
                ConfigNode first = names.putIfAbsent(name, m.peek("name").orElseThrow());
                if (first != null) {
                    problem(m.peek("name").orElseThrow(), "duplicate listener name \"" + name + "\""
                            + firstAt(first) + ": listener names must be unique");
                }
            }
            Protocol protocol = readProtocol(m);
            InetSocketAddress bind = requiredAddress(m, "bind", 0,
                    "the address to accept clients on, e.g. bind: 127.0.0.1:8080");
            String pool = requiredString(m, "pool", "the name of a pool under pools");
            if (pool != null && pools != null && !pools.containsKey(pool)) {
                problem(m.peek("pool").orElseThrow(), Suggestions.unknown("pool", pool, pools.keySet()));
            }
            Duration connectTimeout = positiveDuration(m, "connect-timeout", DEFAULT_CONNECT_TIMEOUT);
            int connectAttempts = integer(m, "connect-attempts", DEFAULT_CONNECT_ATTEMPTS, 1, 10);
            Duration idleTimeout = positiveDuration(m, "idle-timeout", DEFAULT_IDLE_TIMEOUT);
            HttpListenerConfig http = readHttpBlock(m, protocol, baseDir);
            TlsConfig tls = readTls(m, protocol, baseDir);
            if (http.http2() && tls == null && m.peek("tls").isEmpty()) {
                problem(((ConfigMap) m.peek("http").orElseThrow()).peek("http2").orElseThrow(), "HTTP/2 is offered"
                        + " by ALPN during the TLS handshake: add tls: { cert, key } to this listener, or remove"
                        + " http2");
            }
            problems.addAll(m.unknownKeys());
            ListenerConfig listener = new ListenerConfig(name, protocol, bind, pool, connectTimeout, connectAttempts,
                    idleTimeout, http, tls);
            listeners.add(listener);
            if (bind != null) {
                bindNodes.add(Map.entry(listener, m.peek("bind").orElseThrow()));
            }
        }
        checkBindConflicts(bindNodes);
        return listeners;
    }

    private HttpListenerConfig readHttpBlock(ConfigMap listener, Protocol protocol, Path baseDir) {
        Optional<ConfigMap> block = safely(() -> listener.map("http"), Optional.<ConfigMap>empty());
        if (block.isEmpty()) {
            return HttpListenerConfig.DEFAULTS;
        }
        // Read even for a tcp listener, so that its own mistakes are reported along with the misplacement.
        HttpListenerConfig settings = new HttpSettingsReader(this, baseDir).read(block.get());
        if (protocol != Protocol.HTTP) {
            problem(block.get(), "only an http listener has http settings: set protocol: http, or remove this block");
            return HttpListenerConfig.DEFAULTS;
        }
        return settings;
    }

    private TlsConfig readTls(ConfigMap listener, Protocol protocol, Path baseDir) {
        Optional<ConfigMap> block = safely(() -> listener.map("tls"), Optional.<ConfigMap>empty());
        if (block.isEmpty()) {
            return null;
        }
        Path cert = readableFile(block.get(), "cert", baseDir, "the certificate chain in PEM, e.g. cert: tls/lb.crt");
        Path key = readableFile(block.get(), "key", baseDir, "the private key in PEM (PKCS#8), e.g. key: tls/lb.key");
        if (protocol != Protocol.HTTP) {
            problem(block.get(), "TLS is terminated on http listeners only: set protocol: http, or remove this block"
                    + " (a tcp listener relays TLS untouched)");
            return null;
        }
        return cert == null || key == null ? null : new TlsConfig(cert, key);
    }

    Protocol readProtocol(ConfigMap m) {
        String text = safely(() -> m.string("protocol", "tcp"), "tcp");
        return switch (text) {
            case "tcp" -> Protocol.TCP;
            case "http" -> Protocol.HTTP;
            default -> {
                problem(m.peek("protocol").orElseThrow(), Suggestions.unknown("protocol", text, List.of("tcp", "http")));
                yield Protocol.TCP;
            }
        };
    }

    /** Two listeners cannot bind one port on one address, nor on a wildcard address and any other. */
    void checkBindConflicts(List<Map.Entry<ListenerConfig, ConfigNode>> bindNodes) {
        List<Map.Entry<ListenerConfig, ConfigNode>> seen = new ArrayList<>();
        for (Map.Entry<ListenerConfig, ConfigNode> current : bindNodes) {
            InetSocketAddress bind = current.getKey().bind();
            if (bind.getPort() == 0) {
                continue; // each ephemeral bind gets its own port
            }
            Optional<Map.Entry<ListenerConfig, ConfigNode>> clash = seen.stream().filter(other -> {
                InetSocketAddress taken = other.getKey().bind();
                return taken.getPort() == bind.getPort() && (taken.getAddress().equals(bind.getAddress())
                        || taken.getAddress().isAnyLocalAddress() || bind.getAddress().isAnyLocalAddress());
            }).findFirst();
            if (clash.isPresent()) {
                problem(current.getValue(), "conflicts with listener \"" + clash.get().getKey().name()
                        + "\", which binds port " + bind.getPort() + " too" + firstAt(clash.get().getValue())
                        + ": give each listener its own address or port");
            } else {
                seen.add(current);
            }
        }
    }
}

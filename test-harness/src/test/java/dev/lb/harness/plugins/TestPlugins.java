package dev.lb.harness.plugins;

import dev.lb.spi.Backend;
import dev.lb.spi.HttpRequestInfo;
import dev.lb.spi.PickContext;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PluginConfigException;
import dev.lb.spi.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Minimal implementations of the runtime's side of the SPI, to drive a loaded plugin directly in a test. */
final class TestPlugins {

    private TestPlugins() {
    }

    /** A backend on 127.0.0.1 with no live figures. */
    record TestBackend(String name, int port) implements Backend {
        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public Map<String, String> labels() {
            return Map.of();
        }

        @Override
        public int activeConnections() {
            return 0;
        }

        @Override
        public int inFlightRequests() {
            return 0;
        }

        @Override
        public long latencyEwmaNanos() {
            return 0;
        }

        @Override
        public long peakLatencyEwmaNanos() {
            return 0;
        }

        @Override
        public long eligibleSinceNanos() {
            return 0;
        }
    }

    /** The first pick of a TCP connection from 127.0.0.1. */
    record TcpPick() implements PickContext {
        @Override
        public InetSocketAddress clientAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public Protocol protocol() {
            return Protocol.TCP;
        }

        @Override
        public Optional<HttpRequestInfo> http() {
            return Optional.empty();
        }

        @Override
        public int attempt() {
            return 0;
        }
    }

    /** A plugin block with no key at all: every getter answers its default. */
    record EmptyConfig(String path) implements PluginConfig {
        @Override
        public Set<String> keys() {
            return Set.of();
        }

        @Override
        public boolean has(String key) {
            return false;
        }

        @Override
        public Optional<String> string(String key) {
            return Optional.empty();
        }

        @Override
        public String string(String key, String defaultValue) {
            return defaultValue;
        }

        @Override
        public long integer(String key, long defaultValue, long min, long max) {
            return defaultValue;
        }

        @Override
        public double number(String key, double defaultValue) {
            return defaultValue;
        }

        @Override
        public boolean bool(String key, boolean defaultValue) {
            return defaultValue;
        }

        @Override
        public Duration duration(String key, Duration defaultValue) {
            return defaultValue;
        }

        @Override
        public List<String> strings(String key) {
            return List.of();
        }

        @Override
        public Optional<PluginConfig> section(String key) {
            return Optional.empty();
        }

        @Override
        public PluginConfigException invalid(String key, String message) {
            return new PluginConfigException(key, message);
        }
    }
}

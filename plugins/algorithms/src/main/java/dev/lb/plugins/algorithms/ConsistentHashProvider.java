package dev.lb.plugins.algorithms;

import dev.lb.spi.PluginConfig;

/**
 * {@code consistent-hash}: the same key always to the same eligible backend, and removing one of N backends moves only
 * about 1/N of the keys. Settings: {@code key} ({@code client-ip} (default), {@code path}, {@code header:<name>},
 * {@code cookie:<name>}; a missing header or cookie, or a TCP listener, falls back to the client address),
 * {@code method} ({@code ring} or {@code maglev}), {@code virtual-nodes}, {@code ring-size}, {@code table-size}.
 */
public final class ConsistentHashProvider extends HashingProvider {

    @Override
    public String name() {
        return "consistent-hash";
    }

    @Override
    public String description() {
        return "consistent hashing (ring or Maglev) of the client address, path, a header or a cookie";
    }

    @Override
    HashKey readKey(PluginConfig config) {
        return HashKey.read(config);
    }
}

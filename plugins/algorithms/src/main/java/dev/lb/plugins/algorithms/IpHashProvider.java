package dev.lb.plugins.algorithms;

import dev.lb.spi.PluginConfig;

/**
 * {@code ip-hash}: consistent hashing of the client's IP address, so a client stays on one eligible backend and
 * removing one of N backends moves only about 1/N of the clients. Settings: {@code method} ({@code ring} or
 * {@code maglev}), {@code virtual-nodes}, {@code ring-size}, {@code table-size}; for another key use
 * {@code consistent-hash}.
 */
public final class IpHashProvider extends HashingProvider {

    @Override
    public String name() {
        return "ip-hash";
    }

    @Override
    public String description() {
        return "consistent hashing of the client IP address (ring or Maglev)";
    }

    @Override
    HashKey readKey(PluginConfig config) {
        if (config.has(HashKey.KEY)) {
            throw config.invalid(HashKey.KEY, "ip-hash always hashes the client address; use consistent-hash "
                    + "to hash on another key");
        }
        return HashKey.clientIp();
    }
}

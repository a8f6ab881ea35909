package dev.lb.plugins.algorithms;

import dev.lb.spi.Algorithm;
import dev.lb.spi.AlgorithmProvider;
import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;
import dev.lb.spi.Picker;
import dev.lb.spi.PluginConfig;
import dev.lb.spi.PoolSnapshot;

/**
 * The common half of the hashing algorithms: a key's hash is looked up in a ring or Maglev table over the eligible
 * backends, built in {@code newPicker}. Hashing ignores slow start on purpose: ramping would move keys twice.
 *
 * <p>A retry ({@link PickContext#attempt()} above zero) rehashes the key with the attempt number, so it lands on
 * another backend, still deterministically.
 */
abstract sealed class HashingProvider implements AlgorithmProvider permits ConsistentHashProvider, IpHashProvider {

    @Override
    public final Algorithm create(PluginConfig config) {
        HashKey key = readKey(config);
        HashSettings settings = HashSettings.read(config);
        return snapshot -> newPicker(snapshot, key, settings);
    }

    /** Reads the key setting, or fixes the key when the algorithm has none. */
    abstract HashKey readKey(PluginConfig config);

    private static Picker newPicker(PoolSnapshot snapshot, HashKey key, HashSettings settings) {
        Backend[] backends = snapshot.eligible().toArray(Backend[]::new);
        if (backends.length == 0) {
            return Weights::none;
        }
        HashTable table = settings.build(backends);
        return new HashPicker(backends, table, key);
    }

    private record HashPicker(Backend[] backends, HashTable table, HashKey key) implements Picker {

        @Override
        public Backend pick(PickContext context) {
            long hash = key.hash(context);
            int attempt = context.attempt();
            if (attempt > 0) {
                hash = Hashing.mix(hash + attempt * Hashing.GOLDEN);
            }
            return backends[table.lookup(hash)];
        }
    }
}

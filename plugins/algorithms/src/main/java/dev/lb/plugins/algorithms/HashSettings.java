package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PluginConfig;
import java.util.Arrays;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings shared by the hashing algorithms, and the table they describe:
 * <ul>
 *   <li>{@code method}: {@code ring} (default) or {@code maglev};
 *   <li>{@code virtual-nodes}: ring points per unit of weight, default {@value #DEFAULT_VIRTUAL_NODES} (ring only);
 *   <li>{@code ring-size}: the most points the ring may hold, default {@value #DEFAULT_RING_SIZE}; above it every
 *       backend's points are scaled down proportionally (ring only);
 *   <li>{@code table-size}: the Maglev table size, a prime, default {@value #DEFAULT_TABLE_SIZE} (maglev only).
 * </ul>
 */
final class HashSettings {

    static final String METHOD = "method";
    static final String VIRTUAL_NODES = "virtual-nodes";
    static final String RING_SIZE = "ring-size";
    static final String TABLE_SIZE = "table-size";

    static final int DEFAULT_VIRTUAL_NODES = 160;
    static final int MAX_VIRTUAL_NODES = 10_000;
    static final int DEFAULT_RING_SIZE = 1 << 20;
    static final int MAX_RING_SIZE = 1 << 23;
    static final int DEFAULT_TABLE_SIZE = 65_537;
    static final int MAX_TABLE_SIZE = 16_777_213;

    private static final Logger LOG = LoggerFactory.getLogger(HashSettings.class);

    /** The table's kind. */
    enum Method { RING, MAGLEV }

    private final Method method;
    private final int virtualNodes;
    private final int ringSize;
    private final int tableSize;

    private HashSettings(Method method, int virtualNodes, int ringSize, int tableSize) {
        this.method = method;
        this.virtualNodes = virtualNodes;
        this.ringSize = ringSize;
        this.tableSize = tableSize;
    }

    /** Reads and validates the settings; a setting of the method not chosen is an error rather than ignored. */
    static HashSettings read(PluginConfig config) {
        String methodText = config.string(METHOD, "ring").trim();
        Method method = switch (methodText) {
            case "ring" -> Method.RING;
            case "maglev" -> Method.MAGLEV;
            default -> throw config.invalid(METHOD, "must be one of ring, maglev; was '" + methodText + "'");
        };
        if (method == Method.RING) {
            rejectIfPresent(config, TABLE_SIZE, "maglev");
            int virtualNodes = (int) config.integer(VIRTUAL_NODES, DEFAULT_VIRTUAL_NODES, 1, MAX_VIRTUAL_NODES);
            int ringSize = (int) config.integer(RING_SIZE, DEFAULT_RING_SIZE, 1, MAX_RING_SIZE);
            return new HashSettings(method, virtualNodes, ringSize, 0);
        }
        rejectIfPresent(config, VIRTUAL_NODES, "ring");
        rejectIfPresent(config, RING_SIZE, "ring");
        int tableSize = (int) config.integer(TABLE_SIZE, DEFAULT_TABLE_SIZE, 3, MAX_TABLE_SIZE);
        if (!Primes.isPrime(tableSize)) {
            throw config.invalid(TABLE_SIZE, "must be a prime number (Maglev needs one), was " + tableSize
                    + "; the nearest larger prime is " + Primes.atLeast(tableSize));
        }
        return new HashSettings(method, 0, 0, tableSize);
    }

    private static void rejectIfPresent(PluginConfig config, String key, String method) {
        if (config.has(key)) {
            throw config.invalid(key, "applies only to method: " + method);
        }
    }

    Method method() {
        return method;
    }

    /**
     * Sorts {@code backends} by name in place and builds the table over that order, so the table depends only on the
     * set of names and weights, never on configuration order or object identity.
     */
    HashTable build(Backend[] backends) {
        Arrays.sort(backends, Comparator.comparing(Backend::name));
        String[] names = new String[backends.length];
        for (int i = 0; i < backends.length; i++) {
            names[i] = backends[i].name();
        }
        int[] weights = Weights.of(backends);
        if (method == Method.RING) {
            return new RingTable(names, weights, virtualNodes, ringSize);
        }
        int size = tableSize;
        if (size <= backends.length) {
            size = (int) Primes.atLeast(100L * backends.length);
            LOG.warn("Maglev table-size {} is not larger than the {} backends; using {} instead. Set table-size to a "
                    + "prime of at least 100 times the number of backends.", tableSize, backends.length, size);
        }
        return new MaglevTable(names, weights, size);
    }
}

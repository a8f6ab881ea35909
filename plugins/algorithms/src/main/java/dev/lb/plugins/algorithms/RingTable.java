package dev.lb.plugins.algorithms;

import java.util.Arrays;

/**
 * A consistent-hash ring (Karger et al., as ketama): each backend places {@code virtual-nodes × weight} points on a
 * 64-bit circle, at hashes of its name and the point's number, and a key belongs to the first point at or after its
 * hash. Removing a backend moves only the keys of its own points.
 *
 * <p>Each point is stored as one {@code long}: the high {@value #HASH_BITS} bits of its hash and, below them, the index
 * of its backend, so the ring is one sorted primitive array searched by bisection.
 */
final class RingTable implements HashTable {

    static final int OWNER_BITS = 24;
    static final int HASH_BITS = 64 - OWNER_BITS;
    static final long OWNER_MASK = (1L << OWNER_BITS) - 1;
    static final int MAX_BACKENDS = 1 << OWNER_BITS;

    private final long[] points;

    /**
     * @param names backend names, in the order of the backend array the lookups index
     * @param weights their weights
     * @param virtualNodes points per unit of weight
     * @param maxPoints a cap on all points together; above it every backend's count is scaled down proportionally
     */
    RingTable(String[] names, int[] weights, int virtualNodes, int maxPoints) {
        if (names.length > MAX_BACKENDS) {
            throw new IllegalArgumentException("a hash ring holds at most " + MAX_BACKENDS + " backends, got "
                    + names.length);
        }
        long wanted = Weights.sum(weights) * virtualNodes;
        double scale = wanted > maxPoints ? (double) maxPoints / wanted : 1.0;
        int[] counts = new int[names.length];
        long total = 0;
        for (int i = 0; i < names.length; i++) {
            counts[i] = (int) Math.max(1, Math.round((double) weights[i] * virtualNodes * scale));
            total += counts[i];
        }
        points = new long[Math.toIntExact(total)];
        int next = 0;
        for (int i = 0; i < names.length; i++) {
            long nameHash = Hashing.hash(names[i]);
            for (int replica = 0; replica < counts[i]; replica++) {
                long point = Hashing.mix(nameHash + (replica + 1) * Hashing.GOLDEN);
                points[next++] = (point & ~OWNER_MASK) | i;
            }
        }
        Arrays.sort(points);
    }

    int size() {
        return points.length;
    }

    @Override
    public int lookup(long hash) {
        int at = Arrays.binarySearch(points, hash & ~OWNER_MASK);
        if (at < 0) {
            at = -at - 1;
            if (at == points.length) {
                at = 0;
            }
        }
        return (int) (points[at] & OWNER_MASK);
    }
}

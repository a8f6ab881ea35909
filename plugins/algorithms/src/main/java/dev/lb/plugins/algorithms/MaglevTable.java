package dev.lb.plugins.algorithms;

/**
 * Maglev hashing (Eisenbud et al., NSDI 2016): a lookup table of prime size M filled by letting backends take turns
 * claiming the next free slot of their own permutation of the table, derived from the hash of their name. A key
 * belongs to the backend in slot {@code hash mod M}: constant-time lookup, near-perfect balance (each backend holds
 * M / N slots, up to one), and removing a backend moves little more than its own keys.
 *
 * <p>Weights as in Envoy's weighted Maglev: a backend of weight w takes a turn in a round only when it has claimed
 * fewer than {@code rounds × w / maxWeight} slots, so slots are shared in proportion to weight.
 */
final class MaglevTable implements HashTable {

    private final int[] table;

    /**
     * @param names backend names, in the order of the backend array the lookups index
     * @param weights their weights
     * @param size the table size, a prime larger than the number of backends
     */
    MaglevTable(String[] names, int[] weights, int size) {
        int n = names.length;
        if (!Primes.isPrime(size) || size <= n) {
            throw new IllegalArgumentException("Maglev table size must be a prime larger than " + n + ", was " + size);
        }
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        double[] claimed = new double[n];
        int maxWeight = 0;
        for (int w : weights) {
            maxWeight = Math.max(maxWeight, w);
        }
        for (int i = 0; i < n; i++) {
            long h = Hashing.hash(names[i]);
            offset[i] = Long.remainderUnsigned(h, size);
            skip[i] = Long.remainderUnsigned(Hashing.mix(h ^ Hashing.GOLDEN), size - 1) + 1;
        }
        table = new int[size];
        java.util.Arrays.fill(table, -1);
        int filled = 0;
        for (long round = 0; filled < size; round++) {
            for (int i = 0; i < n && filled < size; i++) {
                // A lighter backend sits out rounds so that its slots stay proportional to its weight.
                if (claimed[i] > (double) round * weights[i] / maxWeight) {
                    continue;
                }
                int slot;
                do {
                    slot = (int) ((offset[i] + next[i] * skip[i]) % size);
                    next[i]++;
                } while (table[slot] >= 0);
                table[slot] = i;
                claimed[i]++;
                filled++;
            }
        }
    }

    int size() {
        return table.length;
    }

    @Override
    public int lookup(long hash) {
        return table[(int) ((hash >>> 1) % table.length)];
    }
}

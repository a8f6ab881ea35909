package dev.lb.plugins.algorithms;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Vose's alias method: draws index {@code i} with probability {@code weights[i] / sum} in constant time from one
 * random {@code long} (its high half chooses a column, its low half decides between the column and its alias).
 */
final class AliasTable {

    private final long[] threshold;
    private final int[] alias;

    AliasTable(int[] weights) {
        int n = weights.length;
        double sum = Weights.sum(weights);
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1.0) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        threshold = new long[n];
        alias = new int[n];
        while (smallCount > 0 && largeCount > 0) {
            int s = small[--smallCount];
            int l = large[--largeCount];
            threshold[s] = toThreshold(scaled[s]);
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            if (scaled[l] < 1.0) {
                small[smallCount++] = l;
            } else {
                large[largeCount++] = l;
            }
        }
        // What is left is 1.0 up to rounding: such a column always keeps its own index.
        while (largeCount > 0) {
            int l = large[--largeCount];
            threshold[l] = 1L << 32;
            alias[l] = l;
        }
        while (smallCount > 0) {
            int s = small[--smallCount];
            threshold[s] = 1L << 32;
            alias[s] = s;
        }
    }

    private static long toThreshold(double probability) {
        return (long) (probability * (1L << 32));
    }

    int size() {
        return alias.length;
    }

    /** Draws an index. */
    int next() {
        long r = ThreadLocalRandom.current().nextLong();
        int column = (int) (((r >>> 32) * alias.length) >>> 32);
        return (r & 0xFFFFFFFFL) < threshold[column] ? column : alias[column];
    }
}

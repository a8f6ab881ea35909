package dev.lb.plugins.algorithms;

/**
 * Builds one cycle of nginx's smooth weighted round robin: at each step every backend's current weight grows by its
 * weight, the largest (first on ties) is chosen, and the chosen one's current weight drops by the total.
 *
 * <p>Weights are first divided by their common divisor. Building costs backends × cycle length, so when that would
 * exceed {@value #MAX_WORK} steps (or the cycle {@value #MAX_CYCLE} entries) the weights are scaled down
 * proportionally, each kept at least 1; shares then match the weights to within the rounding of that scaling.
 */
final class SmoothSequence {

    static final long MAX_WORK = 1L << 26;
    static final int MAX_CYCLE = 1 << 20;

    private SmoothSequence() {
    }

    /** One cycle of indexes into {@code weights}, each index appearing (scaled) weight times. */
    static int[] of(int[] weights) {
        int n = weights.length;
        int[] w = weights.clone();
        int g = Weights.gcd(w);
        for (int i = 0; i < n; i++) {
            w[i] /= g;
        }
        long total = Weights.sum(w);
        long limit = Math.max(n, Math.min(MAX_CYCLE, MAX_WORK / n));
        if (total > limit) {
            for (int i = 0; i < n; i++) {
                w[i] = (int) Math.max(1, Math.round((double) w[i] * limit / total));
            }
            total = Weights.sum(w);
        }
        int length = (int) total;
        int[] sequence = new int[length];
        long[] current = new long[n];
        for (int step = 0; step < length; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += w[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            sequence[step] = best;
        }
        return sequence;
    }
}

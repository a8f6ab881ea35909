package dev.lb.plugins.algorithms;

import dev.lb.spi.Backend;
import dev.lb.spi.PickContext;

/** Small helpers shared by the weighted algorithms. */
final class Weights {

    /** How many times a table-driven picker redraws when slow start declines a ramping backend. */
    static final int RAMP_DRAWS = 16;

    private Weights() {
    }

    static int[] of(Backend[] backends) {
        int[] weights = new int[backends.length];
        for (int i = 0; i < backends.length; i++) {
            weights[i] = Math.max(1, backends[i].weight());
        }
        return weights;
    }

    static long sum(int[] weights) {
        long sum = 0;
        for (int w : weights) {
            sum += w;
        }
        return sum;
    }

    static int gcd(int[] weights) {
        int g = 0;
        for (int w : weights) {
            g = gcd(g, w);
        }
        return Math.max(1, g);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** A picker's answer for an empty snapshot. */
    static Backend none(PickContext context) {
        return null;
    }
}

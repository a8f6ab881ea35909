package dev.lb.plugins.algorithms;

/** Primality for Maglev table sizes (at most a few million, so trial division is plenty fast). */
final class Primes {

    private Primes() {
    }

    static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** The smallest prime at least {@code n}. */
    static long atLeast(long n) {
        long p = Math.max(2, n);
        while (!isPrime(p)) {
            p++;
        }
        return p;
    }
}

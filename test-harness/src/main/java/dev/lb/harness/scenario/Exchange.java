package dev.lb.harness.scenario;

/**
 * One request of scenario traffic, as the client saw it.
 *
 * @param startNanos {@link System#nanoTime()} when it started
 * @param endNanos when it ended
 * @param backend the backend that answered (by its identity), or null when it failed
 * @param error what went wrong, e.g. {@code connection reset}, {@code timed out}, {@code status 502}; null when served
 */
public record Exchange(long startNanos, long endNanos, String backend, String error) {

    /** Whether a backend answered. */
    public boolean ok() {
        return error == null;
    }

    static Exchange served(long start, String backend) {
        return new Exchange(start, System.nanoTime(), backend, null);
    }

    static Exchange failed(long start, String error) {
        return new Exchange(start, System.nanoTime(), null, error);
    }
}

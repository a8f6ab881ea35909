package dev.lb.harness.junit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, polling, for something a load balancer does on its own threads (a connection closed, a backend ejected, a
 * notification sent), with a deadline, so that a test fails with a message instead of hanging or racing.
 */
public final class Await {

    /** What {@link #until(BooleanSupplier, String)} waits at most. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(15);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} when it does not within 15 s. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        until(condition, DEFAULT_LIMIT, what);
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} when it does not within {@code limit}
     */
    public static void until(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}

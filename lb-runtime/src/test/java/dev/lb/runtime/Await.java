package dev.lb.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, polling, for something another thread does; bounded so that a test fails instead of hanging. */
public final class Await {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails the test naming {@code what} when it does not within 10 s. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT.toSeconds() + "s: " + what);
            }
            Thread.sleep(5);
        }
    }
}

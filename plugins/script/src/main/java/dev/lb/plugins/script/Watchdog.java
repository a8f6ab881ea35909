package dev.lb.plugins.script;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.PolyglotException;

/**
 * Interrupts a pick that runs past its time budget. Event-loop threads only write a start time before each call and
 * clear it after; this thread looks at them every half budget and interrupts the context of a call that is late, so a
 * stuck script costs its request one budget and never stalls the loop. If the interrupt does not land, the context is
 * cancelled outright (its thread then builds a new one).
 */
final class Watchdog implements AutoCloseable {

    private final long budgetNanos;
    private final Queue<ThreadSlot> slots = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    Watchdog(Duration budget, String name) {
        this.budgetNanos = budget.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("lb-script-watchdog-" + name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void watch(ThreadSlot slot) {
        slots.add(slot);
    }

    private void run() {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1) / 2, budgetNanos / 2);
        while (running) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (ThreadSlot slot : slots) {
                long started = slot.startedNanos;
                if (started != 0 && now - started > budgetNanos) {
                    interrupt(slot, started);
                }
            }
        }
    }

    private static void interrupt(ThreadSlot slot, long started) {
        PolicyContext context = slot.context;
        if (context == null || slot.startedNanos != started) {
            return;
        }
        slot.overBudget = true;
        try {
            context.context().interrupt(Duration.ofMillis(200));
        } catch (TimeoutException | PolyglotException | IllegalStateException e) {
            // The script did not yield to the interrupt (or the context is already gone): cancel it for good.
            context.close();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

package dev.lb.harness.admin;

import dev.lb.harness.TestSockets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Test traffic through a TCP listener in front of dummy TCP backends: each exchange connects, reads the backend's
 * identity line, sends a few bytes, reads their echo and closes. {@link Load} keeps a bounded number of clients busy
 * in a loop and counts every exchange that did not complete.
 */
final class Traffic {

    private Traffic() {
    }

    /** One exchange; returns the backend's name. Throws when anything went wrong. */
    static String exchange(InetSocketAddress listener) throws IOException {
        try (Socket socket = TestSockets.connect(listener)) {
            InputStream in = socket.getInputStream();
            String name = TestSockets.readLine(in);
            if (name == null) {
                throw new IOException("the connection closed before the backend's identity line");
            }
            byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(ping);
            socket.getOutputStream().flush();
            String echo = TestSockets.readLine(in);
            if (!"ping".equals(echo)) {
                throw new IOException("expected the echo \"ping\" from " + name + ", got " + echo);
            }
            return name;
        }
    }

    /** Waits up to {@code timeout} for {@code condition}, polling. */
    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Continuous, bounded load: {@code clients} threads doing exchanges until stopped or {@code maxExchanges}. */
    static final class Load implements AutoCloseable {

        final AtomicInteger ok = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentHashMap<String, AtomicInteger> byBackend = new ConcurrentHashMap<>();
        /** The backends of the most recent exchanges, newest last (bounded). */
        final List<String> recent = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(InetSocketAddress listener, int clients, int maxExchanges) {
            AtomicInteger budget = new AtomicInteger(maxExchanges);
            for (int i = 0; i < clients; i++) {
                Thread thread = Thread.ofPlatform().name("load-" + i).daemon().start(() -> {
                    while (running.get() && budget.getAndDecrement() > 0) {
                        try {
                            String backend = exchange(listener);
                            ok.incrementAndGet();
                            byBackend.computeIfAbsent(backend, b -> new AtomicInteger()).incrementAndGet();
                            synchronized (recent) {
                                recent.add(backend);
                                if (recent.size() > 200) {
                                    recent.remove(0);
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                });
                threads.add(thread);
            }
        }

        /** The last {@code n} backends picked (fewer if there were fewer exchanges). */
        List<String> last(int n) {
            synchronized (recent) {
                return List.copyOf(recent.subList(Math.max(0, recent.size() - n), recent.size()));
            }
        }

        int total() {
            return ok.get() + failures.size();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                for (Thread thread : threads) {
                    thread.join(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

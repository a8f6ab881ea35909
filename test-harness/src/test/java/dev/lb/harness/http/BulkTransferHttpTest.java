package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One gibibyte up and one down through the proxy, generated and digested as they stream on both ends (nothing holds a
 * whole body), arriving byte-identical, while the proxy's pooled buffer memory stays bounded: it relays with
 * backpressure instead of buffering.
 */
class BulkTransferHttpTest {

    private static final long GIB = 1024L * 1024 * 1024;
    /** The proxy's own buffers: a few pooled chunks, whatever the volume in flight. */
    private static final long PROXY_MEMORY_BOUND = 32L * 1024 * 1024;

    @Test
    @Timeout(180)
    void aGibibyteUploadArrivesIntact() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = BasicHttpProxyTest.client();
                MemoryWatch watch = new MemoryWatch(proxy)) {
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            long started = System.nanoTime();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new GeneratedStream(GIB, 11, sent)), GIB)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(200, response.statusCode());
            assertEquals(GIB, a.lastRequest().bodyBytes());
            assertEquals(HexFormat.of().formatHex(sent.digest()), a.lastRequest().bodySha256(), "byte-identical");
            System.out.printf("http upload 1 GiB: %.1fs; proxy pooled memory max %.1f MiB%n", seconds,
                    watch.max() / 1048576.0);
            assertTrue(watch.max() <= PROXY_MEMORY_BOUND, "proxy buffered " + watch.max() + " bytes");
        }
    }

    @Test
    @Timeout(180)
    void aGibibyteDownloadArrivesIntact() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = BasicHttpProxyTest.client();
                MemoryWatch watch = new MemoryWatch(proxy)) {
            long started = System.nanoTime();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                    proxy.uri(DummyHttpBackend.BYTES_PATH + "?n=" + GIB + "&seed=5")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = response.body()) {
                int n;
                boolean paused = false;
                while ((n = in.read(buffer)) >= 0) {
                    received.update(buffer, 0, n);
                    total += n;
                    if (!paused && total > 64L * 1024 * 1024) {
                        // Stop reading a while: a proxy without backpressure would now buffer what the backend sends.
                        paused = true;
                        Thread.sleep(1500);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(GIB, total);
            assertEquals(a.lastDownloadSha256(), HexFormat.of().formatHex(received.digest()), "byte-identical");
            System.out.printf("http download 1 GiB: %.1fs; proxy pooled memory max %.1f MiB%n", seconds,
                    watch.max() / 1048576.0);
            assertTrue(watch.max() <= PROXY_MEMORY_BOUND, "proxy buffered " + watch.max() + " bytes");
        }
    }

    /** Pseudo-random bytes made as they are read, digested on the way out. */
    private static final class GeneratedStream extends InputStream {
        private final SplittableRandom random;
        private final MessageDigest digest;
        private final byte[] chunk = new byte[64 * 1024];
        private long left;
        private int position = chunk.length;

        GeneratedStream(long size, long seed, MessageDigest digest) {
            this.random = new SplittableRandom(seed);
            this.digest = digest;
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            if (position == chunk.length) {
                random.nextBytes(chunk);
                position = 0;
            }
            int n = (int) Math.min(Math.min(len, chunk.length - position), left);
            System.arraycopy(chunk, position, b, off, n);
            digest.update(chunk, position, n);
            position += n;
            left -= n;
            return n;
        }
    }

    /** Samples the proxy's pooled buffer memory every 10ms on its own thread. */
    private static final class MemoryWatch implements AutoCloseable {
        private final AtomicLong max = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        MemoryWatch(HttpProxy proxy) {
            thread = Thread.ofPlatform().daemon().name("memory-watch").start(() -> {
                while (running.get()) {
                    max.accumulateAndGet(proxy.lb.bufferMemoryUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long max() {
            return max.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(1000);
        }
    }
}

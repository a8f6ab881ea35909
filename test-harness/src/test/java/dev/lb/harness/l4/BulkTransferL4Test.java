package dev.lb.harness.l4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.bed.LbSpec;
import dev.lb.harness.bed.TestBed;
import dev.lb.harness.junit.Harness;
import dev.lb.harness.junit.LoadBalancerTest;
import dev.lb.runtime.transport.TransportKind;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 256 MiB through the proxy to an echo backend and back, byte-identical, with the client pausing its reads midway to
 * show that the proxy stops reading instead of buffering: a relay without backpressure would take in everything the
 * writer sends while the reader sleeps.
 */
@LoadBalancerTest
@Timeout(180)
class BulkTransferL4Test {

    private static final long TOTAL = 256L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final long PAUSE_AFTER = 32L * 1024 * 1024;
    private static final long PAUSE_MILLIS = 2_000;
    /** The proxy's own buffers: a few pooled chunks of 4 MiB at most, whatever the volume in flight. */
    private static final long PROXY_MEMORY_BOUND = 16L * 1024 * 1024;

    @ParameterizedTest(name = "transport: {0}")
    @MethodSource("dev.lb.runtime.transport.TransportKind#available")
    void quarterGibibyteRoundTripsIntactWithBoundedProxyMemory(TransportKind transport, Harness harness)
            throws Exception {
        // Direct: the backend's echo at full loopback speed, with nothing between it and the proxy under test.
        TestBed bed = harness.startDirect(LbSpec.tcp().backends(1), o -> o.transport(transport));
        assertEquals(transport, bed.lb().transport());
        try (Client client = new Client(bed.address())) {
            assertEquals("a", client.readLine());
            long started = System.nanoTime();
            AtomicLong written = new AtomicLong();
            AtomicReference<byte[]> sentDigest = new AtomicReference<>();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().name("bulk-writer").start(() -> {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    SplittableRandom random = new SplittableRandom(2026);
                    byte[] chunk = new byte[CHUNK];
                    OutputStream out = client.out;
                    for (long sent = 0; sent < TOTAL; sent += CHUNK) {
                        random.nextBytes(chunk);
                        sha.update(chunk);
                        out.write(chunk);
                        written.addAndGet(CHUNK);
                    }
                    sentDigest.set(sha.digest());
                    client.socket.shutdownOutput();
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            });

            MessageDigest received = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[CHUNK];
            long read = 0;
            boolean paused = false;
            long maxProxyMemory = 0;
            long stalledWriterGap = 0;
            while (true) {
                int n = client.in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.update(buffer, 0, n);
                read += n;
                if (!paused && read >= PAUSE_AFTER) {
                    paused = true;
                    // The stimulus: stop reading while the writer and the echo backend keep pushing.
                    long pauseEnd = System.nanoTime() + PAUSE_MILLIS * 1_000_000;
                    while (System.nanoTime() < pauseEnd) {
                        maxProxyMemory = Math.max(maxProxyMemory, bed.lb().bufferMemoryUsed());
                        Thread.sleep(20);
                    }
                    stalledWriterGap = written.get() - read;
                }
                maxProxyMemory = Math.max(maxProxyMemory, bed.lb().bufferMemoryUsed());
            }
            writer.join(60_000);
            assertEquals(null, writerFailure.get(), "the writer failed");
            assertEquals(TOTAL, read, "every byte came back");
            assertArrayEquals(sentDigest.get(), received.digest(), "byte-identical (SHA-256)");
            System.out.printf("bulk (%s): %.1fs; proxy pooled memory max %.1f MiB; writer ahead of reader by %.1f MiB after the"
                    + " pause (the rest sits in kernel socket buffers)%n", transport,
                    (System.nanoTime() - started) / 1e9, maxProxyMemory / 1048576.0, stalledWriterGap / 1048576.0);
            assertTrue(maxProxyMemory <= PROXY_MEMORY_BOUND,
                    "proxy buffered " + maxProxyMemory + " bytes, more than " + PROXY_MEMORY_BOUND);
        }
    }
}

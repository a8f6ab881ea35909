package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.harness.backend.DummyHttpBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client trickling its request head byte by byte is cut off at the header timeout while others are served. */
@Timeout(60)
class SlowlorisTest {

    @Test
    void aTricklingClientIsCutOffAtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
        Duration headerTimeout = Duration.ofSeconds(1);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .http(h -> h.withTimeouts(headerTimeout, h.responseTimeout())).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            CompletableFuture<long[]> trickle = CompletableFuture.supplyAsync(() -> trickle(proxy));
            int served = 0;
            while (!trickle.isDone()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/ok")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                served++;
                Thread.sleep(20);
            }
            long[] result = trickle.get();
            long sent = result[0];
            long millis = result[1];
            assertTrue(served > 0, "other clients were served meanwhile");
            assertTrue(millis >= headerTimeout.toMillis() - 50, "not cut before the timeout: " + millis + "ms");
            // Generous upper bound for a loaded machine; the trickle itself would take about 10s.
            assertTrue(millis < 8_000, "cut off at the header timeout, not later: " + millis + "ms");
            assertTrue(sent < 200, "the head was never complete: " + sent + " bytes sent");
            assertEquals(served, a.requests(), "the trickled request never reached the backend");
        }
    }

    /** Sends a head one byte every 50ms; returns {bytes sent, ms until the proxy closed}. */
    private static long[] trickle(HttpProxy proxy) {
        byte[] head = ("GET /slow HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(150) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long started = System.nanoTime();
        int sent = 0;
        try (Socket socket = new Socket()) {
            socket.connect(proxy.address(), 5000);
            socket.setSoTimeout(20);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[256];
            StringBuilder received = new StringBuilder();
            while (sent < head.length) {
                out.write(head[sent]);
                out.flush();
                sent++;
                try {
                    int n = in.read(answer);
                    if (n < 0) {
                        break;
                    }
                    received.append(new String(answer, 0, n, StandardCharsets.US_ASCII));
                    if (received.toString().startsWith("HTTP/1.1 408")) {
                        socket.setSoTimeout(5000);
                        while (in.read(answer) >= 0) {
                            // until the proxy closes
                        }
                        break;
                    }
                } catch (java.net.SocketTimeoutException quiet) {
                    Thread.sleep(30);
                }
            }
            if (!received.toString().startsWith("HTTP/1.1 408")) {
                throw new AssertionError("expected 408, got: " + received);
            }
        } catch (IOException e) {
            // A reset also ends the trickle.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new long[] {sent, (System.nanoTime() - started) / 1_000_000};
    }
}

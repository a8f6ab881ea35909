package dev.lb.harness.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook endpoint on 127.0.0.1 (the JDK's HTTP server): records every POST with its body, signature header
 * and arrival time, and answers 200, 500, or not at all, as the test says.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode { OK, FAIL, HANG }

    /** One request as received. */
    record Received(String body, String signature, long arrivedNanos) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String event() {
            return json().path("event").asText();
        }

        /** The backend named in the body, null for pool events. */
        String backend() {
            JsonNode node = json().path("backend");
            return node.isNull() ? null : node.asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Lb-Signature"),
                    System.nanoTime()));
            if (mode == Mode.HANG) {
                try {
                    released.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(mode == Mode.FAIL ? 500 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void mode(Mode value) {
        mode = value;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits for a request about {@code event} and {@code backend} (null: a pool event), after the first {@code skip}. */
    Received await(String event, String backend, int skip, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> seen = received();
            for (Received r : seen.subList(Math.min(skip, seen.size()), seen.size())) {
                if (r.event().equals(event) && Objects.equals(r.backend(), backend)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + event + " webhook for " + backend + " within " + timeout + "; got "
                + received().stream().map(Received::body).toList());
    }

    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}

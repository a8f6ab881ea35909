package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyHttpBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A WebSocket upgrade goes to the picked backend, and the connection is then relayed as bytes both ways. */
@Timeout(60)
class WebSocketTest {

    @Test
    void echoThroughTheProxy() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).algorithm(RoutingAlgorithm.NAME).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        received.add(text.toString());
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    received.add(bytes);
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    received.add("closed " + statusCode);
                    return CompletableFuture.completedFuture(null);
                }
            };
            URI uri = URI.create("ws://127.0.0.1:" + proxy.address().getPort() + "/to/b/chat");
            WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                socket.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
                assertEquals("hello " + i, received.poll(5, TimeUnit.SECONDS));
            }
            byte[] blob = new byte[200_000];
            new java.util.Random(3).nextBytes(blob);
            socket.sendBinary(ByteBuffer.wrap(blob), true).get(5, TimeUnit.SECONDS);
            java.io.ByteArrayOutputStream echoed = new java.io.ByteArrayOutputStream();
            while (echoed.size() < blob.length) {
                Object part = received.poll(5, TimeUnit.SECONDS);
                echoed.write((byte[]) part);
            }
            assertEquals(java.util.Arrays.hashCode(blob), java.util.Arrays.hashCode(echoed.toByteArray()));
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            assertEquals("closed 1000", received.poll(5, TimeUnit.SECONDS));
            assertEquals(1, b.requests(), "the upgrade went to the backend the picker chose");
            assertEquals(0, a.requests());
            assertEquals("websocket", b.lastRequest().header("upgrade"));

            // The listener still serves plain HTTP afterwards.
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(proxy.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode());
        }
    }

    @Test
    void secureEchoThroughATlsListener(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir);
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a)
                        .tls(new dev.lb.runtime.config.TlsConfig(certificate.cert, certificate.key)).start();
                HttpClient client = HttpClient.newBuilder().sslContext(certificate.clientContext()).build()) {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = client.newWebSocketBuilder().buildAsync(
                    URI.create("wss://127.0.0.1:" + proxy.address().getPort() + "/secure"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText("over tls", true).get(5, TimeUnit.SECONDS);
            assertEquals("over tls", received.poll(5, TimeUnit.SECONDS));
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            assertEquals("https", a.lastRequest().header("x-forwarded-proto"));
        }
    }
}

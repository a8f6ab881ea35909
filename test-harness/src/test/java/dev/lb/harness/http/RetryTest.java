package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyHttpBackend;
import dev.lb.runtime.config.HttpListenerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend that closes the connection on receipt of a request (before any response byte): idempotent requests go to
 * another backend, a POST is never replayed.
 */
@Timeout(60)
class RetryTest {

    @Test
    void getIsRetriedOnAnotherBackend() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.dropConnections(true);
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/r" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("b", response.headers().firstValue("X-Backend").orElseThrow());
            }
            // Round robin's rotation also advances on the retry's pick, so every request came to a first.
            assertEquals(6, a.requests(), "every request reached a, which dropped it");
            assertEquals(6, b.requests());
            // A PUT with a small body is replayed whole.
            HttpResponse<String> put = client.send(HttpRequest.newBuilder(proxy.uri("/put"))
                    .PUT(HttpRequest.BodyPublishers.ofString("x".repeat(10_000))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode());
            assertEquals(10_000, b.lastRequest().bodyBytes());
        }
    }

    @Test
    void postIsNeverReplayed() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.dropConnections(true);
            int badGateway = 0;
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/p" + i))
                        .POST(HttpRequest.BodyPublishers.ofString("order " + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 502) {
                    badGateway++;
                } else {
                    assertEquals(200, response.statusCode());
                }
            }
            assertEquals(2, a.requests());
            assertEquals(2, badGateway, "each POST that reached a failed, none was sent again");
            assertEquals(2, b.requests(), "b saw only the POSTs picked for it");
        }
    }

    @Test
    void aRefusedConnectIsTriedElsewhereEvenForPostSinceNothingWasSent() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.stop();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/p"))
                        .POST(HttpRequest.BodyPublishers.ofString("order")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
            }
            assertEquals(4, b.requests());
        }
    }

    @Test
    void retriesCanBeTurnedOff() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                DummyHttpBackend b = DummyHttpBackend.start("b");
                HttpProxy proxy = HttpProxy.builder(a, b).http(h -> h.withRetries(HttpListenerConfig.Retries.none()))
                        .start();
                HttpClient client = BasicHttpProxyTest.client()) {
            a.dropConnections(true);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(proxy.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, response.statusCode());
            assertEquals(0, b.requests());
        }
    }
}

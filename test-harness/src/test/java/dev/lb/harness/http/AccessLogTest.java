package dev.lb.harness.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lb.harness.backend.DummyHttpBackend;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@code dev.lb.access}, in the configured {@code logging.access-log-format} (the
 * default one unless set): client, listener, pool, backend, method, path, status, bytes, time.
 */
@Timeout(60)
class AccessLogTest {

    /** The access log's lines for two requests (one answered by the backend, one 502 once it is gone). */
    private static List<String> twoRequests(HttpProxy.Builder proxyBuilder, DummyHttpBackend a) throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("dev.lb.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        Level configured = access.getLevel();
        access.setLevel(Level.INFO); // test logs keep the access log quiet; this test reads it
        try (HttpProxy proxy = proxyBuilder.start(); HttpClient client = BasicHttpProxyTest.client()) {
            client.send(HttpRequest.newBuilder(proxy.uri("/hello?secret=1"))
                    .POST(HttpRequest.BodyPublishers.ofString("12345")).build(), HttpResponse.BodyHandlers.ofString());
            a.stop();
            client.send(HttpRequest.newBuilder(proxy.uri("/gone")).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (lines.list.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        } finally {
            access.setLevel(configured);
            access.detachAppender(lines);
        }
    }

    @Test
    void oneLinePerRequestInTheDefaultFormat() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a")) {
            List<String> messages = twoRequests(HttpProxy.builder(a), a);
            assertEquals(2, messages.size(), messages.toString());
            assertTrue(messages.get(0).matches("127\\.0\\.0\\.1:\\d+ web app/a 200 5 \\d+ \\d+\\.\\d{3}ms"),
                    messages.get(0));
            assertTrue(messages.get(1).matches("127\\.0\\.0\\.1:\\d+ web app/a 502 0 0 \\d+\\.\\d{3}ms"),
                    messages.get(1));
        }
    }

    @Test
    void theConfiguredFormatIsHonoured() throws Exception {
        try (DummyHttpBackend a = DummyHttpBackend.start("a")) {
            List<String> messages = twoRequests(HttpProxy.builder(a)
                    .accessLogFormat("${protocol} ${method} ${uri} -> ${status} via ${backend}"), a);
            assertEquals(List.of("http POST /hello -> 200 via a", "http GET /gone -> 502 via a"), messages);
        }
    }
}

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

/** One line per request on the logger {@code dev.lb.access}: client, method, path, status, backend, bytes, time. */
@Timeout(60)
class AccessLogTest {

    @Test
    void oneLinePerRequestOnItsOwnLogger() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("dev.lb.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        Level configured = access.getLevel();
        access.setLevel(Level.INFO); // test logs keep the access log quiet; this test reads it
        try (DummyHttpBackend a = DummyHttpBackend.start("a");
                HttpProxy proxy = HttpProxy.builder(a).start();
                HttpClient client = BasicHttpProxyTest.client()) {
            client.send(HttpRequest.newBuilder(proxy.uri("/hello?secret=1"))
                    .POST(HttpRequest.BodyPublishers.ofString("12345")).build(), HttpResponse.BodyHandlers.ofString());
            a.stop();
            client.send(HttpRequest.newBuilder(proxy.uri("/gone")).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (lines.list.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(2, messages.size(), messages.toString());
            String first = messages.get(0);
            assertTrue(first.matches("web /127\\.0\\.0\\.1:\\d+ \"POST /hello\" 200 backend=a in=5 out=\\d+"
                    + " time=\\d+\\.\\d{3}ms"), first);
            assertTrue(messages.get(1).matches("web /127\\.0\\.0\\.1:\\d+ \"GET /gone\" 502 backend=a in=0 out=0"
                    + " time=\\d+\\.\\d{3}ms"), messages.get(1));
        } finally {
            access.setLevel(configured);
            access.detachAppender(lines);
        }
    }
}

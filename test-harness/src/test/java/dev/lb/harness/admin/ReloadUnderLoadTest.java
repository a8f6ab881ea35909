package dev.lb.harness.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lb.harness.TestSockets;
import dev.lb.harness.backend.DummyTcpBackend;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20 reloads through the admin API (two valid configurations alternating, plus one invalid one) under continuous,
 * bounded TCP load: not one exchange fails, the listener keeps its socket and an open connection survives them all,
 * and the invalid configuration is refused with its location while the running one keeps serving.
 */
class ReloadUnderLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String config(String algorithm, DummyTcpBackend... backends) {
        StringBuilder list = new StringBuilder();
        for (DummyTcpBackend backend : backends) {
            list.append("      - { name: ").append(backend.name()).append(", address: \"127.0.0.1:")
                    .append(backend.address().getPort()).append("\" }\n");
        }
        return """
                listeners:
                  - { name: l4, protocol: tcp, bind: 127.0.0.1:0, pool: app }
                pools:
                  app:
                    algorithm: %s
                    backends:
                %s
                admin: { bind: 127.0.0.1:0 }
                """.formatted(algorithm, list.toString().stripTrailing());
    }

    @Test
    void twentyReloadsUnderLoadLoseNothing() throws Exception {
        try (DummyTcpBackend b1 = DummyTcpBackend.start("b1");
                DummyTcpBackend b2 = DummyTcpBackend.start("b2");
                DummyTcpBackend b3 = DummyTcpBackend.start("b3")) {
            String configA = config("round-robin", b1, b2);
            String configB = config("random", b1, b2, b3);
            String invalid = config("round-robbin", b1, b2);
            try (AdminFixture lb = new AdminFixture(dir.resolve("lb.yaml"), configA, null)) {
                InetSocketAddress listener = lb.listener("l4");
                // A connection opened before the reloads, used again after them all.
                try (Socket longLived = TestSockets.connect(listener)) {
                    InputStream in = longLived.getInputStream();
                    String first = TestSockets.readLine(in);

                    Traffic.Load load = new Traffic.Load(listener, 4, 200_000);
                    int applied = 0;
                    try {
                        assertTrue(Traffic.await(Duration.ofSeconds(10), () -> load.ok.get() > 20));
                        for (int i = 0; i < 20; i++) {
                            boolean bad = i == 10;
                            Files.writeString(lb.file, bad ? invalid : applied % 2 == 0 ? configB : configA);
                            HttpResponse<String> response = lb.post("/reload");
                            JsonNode body = JSON.readTree(response.body());
                            if (bad) {
                                assertEquals(422, response.statusCode(), response.body());
                                assertEquals(false, body.get("applied").asBoolean());
                                String problem = body.get("problems").get(0).asText();
                                assertTrue(problem.matches(".*lb\\.yaml:5:16: pools\\.app\\.algorithm: unknown"
                                        + " algorithm \"round-robbin\".*"), problem);
                            } else {
                                assertEquals(200, response.statusCode(), response.body());
                                assertEquals(List.of("l4"), names(body.at("/changes/listenersUnchanged")));
                                assertEquals(List.of("app"), names(body.at("/changes/poolsChanged")));
                                applied++;
                            }
                            int mark = load.ok.get();
                            assertTrue(Traffic.await(Duration.ofSeconds(10), () -> load.ok.get() >= mark + 10),
                                    "traffic flows after reload " + i);
                        }
                    } finally {
                        load.close();
                    }
                    assertEquals(List.of(), List.copyOf(load.failures), "failed exchanges during the reloads");
                    assertEquals(19, applied);
                    assertEquals(listener, lb.listener("l4"), "the listener kept its socket");
                    assertTrue(load.byBackend.containsKey("b3"), "b3 served while configuration B was in force");
                    assertEquals(1, lb.reloads.refusedCount());
                    assertEquals(19, lb.reloads.appliedCount());
                    // 19 applied, alternating from B: the last is B (random over b1, b2 and b3).
                    assertEquals(List.of("b1", "b2", "b3"), lb.lb.pool("app").backends().stream().map(b -> b.name())
                            .toList());

                    longLived.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("still here", TestSockets.readLine(in), "the connection from before, to " + first);
                    System.out.printf("reload under load: %d exchanges, 0 failed, 19 reloads applied, 1 refused%n",
                            load.ok.get());
                }
            }
        }
    }

    private static List<String> names(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}

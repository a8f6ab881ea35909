package dev.lb.plugins.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.spi.Backend;
import dev.lb.spi.Picker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field of the {@code request} a policy sees, for HTTP and for TCP. */
class RequestViewTest {

    @TempDir
    Path dir;

    /** A policy that describes the request it got as the name of a backend it returns. */
    private static final String DESCRIBE = "export function pick(request, backends) {\n"
            + "  const seen = [request.method, request.path, request.query, request.host, request.clientAddress,\n"
            + "    request.clientPort, request.protocol, request.attempt, request.header('X-A'),\n"
            + "    request.headers['x-a'], 'x-a' in request.headers, 'x-b' in request.headers, request.headers['x-b'],\n"
            + "    request.cookie('s'), request.cookies.s, request.cookies.t].map(String).join(' ');\n"
            + "  return backends.find(b => b.name === seen) || 0;\n"
            + "}\n";

    @Test
    void httpAndTcpRequestsAsThePolicySeesThem() throws Exception {
        String http = "GET /p  example.test 127.0.0.1 40000 http 0 1 1 true false null v v null";
        String tcp = "null null null null 127.0.0.9 40000 tcp 0 null null false false null null null null";
        List<Backend> backends = Scripts.backends("other", http, tcp);
        try (ScriptAlgorithm algorithm = Scripts.algorithm(Scripts.write(dir, "describe.js", DESCRIBE),
                "time-budget", "1s")) {
            Picker picker = Scripts.picker(algorithm, backends);
            assertEquals(http, picker.pick(Scripts.http("/p", Map.of("X-A", "1"), Map.of("s", "v"))).name());
            assertEquals(tcp, picker.pick(Scripts.tcp("127.0.0.9")).name());
            assertEquals(0, algorithm.stats().totalFailures());
        }
    }
}

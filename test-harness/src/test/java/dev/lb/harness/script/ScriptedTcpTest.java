package dev.lb.harness.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lb.harness.backend.DummyTcpBackend;
import dev.lb.spi.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A policy on the client's address through a real TCP listener. */
@Timeout(60)
class ScriptedTcpTest {

    /** Connects through the proxy and returns the identity line the backend sends first. */
    private static String identityThrough(InetSocketAddress proxy) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(proxy, 5_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void pinnedClientAddressGoesToItsBackend() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                DummyTcpBackend c = DummyTcpBackend.start("c");
                ScriptedLb lb = new ScriptedLb(Protocol.TCP, ScriptedLb.EXAMPLES.resolve("client.js"),
                        Map.of("pins", Map.of("127.0.0.1", "b")), a, b, c)) {
            for (int i = 0; i < 10; i++) {
                assertEquals("b", identityThrough(lb.address()));
            }
            assertEquals(10, b.totalConnections());
            assertEquals(0, a.totalConnections() + c.totalConnections());
        }
    }

    @Test
    void unpinnedClientSticksToOneBackend() throws Exception {
        try (DummyTcpBackend a = DummyTcpBackend.start("a");
                DummyTcpBackend b = DummyTcpBackend.start("b");
                DummyTcpBackend c = DummyTcpBackend.start("c");
                ScriptedLb lb = new ScriptedLb(Protocol.TCP, ScriptedLb.EXAMPLES.resolve("client.js"), Map.of(),
                        a, b, c)) {
            String first = identityThrough(lb.address());
            for (int i = 0; i < 9; i++) {
                assertEquals(first, identityThrough(lb.address()));
            }
        }
    }
}

package dev.lb.harness.scenario;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A TCP request to a load balancer in front of {@link dev.lb.harness.backend.DummyTcpBackend}s: connect, read the
 * backend's identity line, send a line and read its echo, close. Anything short of that is an error.
 */
final class TcpTrafficClient implements TrafficClient {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    private final int timeoutMillis;

    TcpTrafficClient(Duration timeout) {
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    @Override
    public Exchange send(InetSocketAddress entry) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(timeoutMillis);
            socket.connect(entry, timeoutMillis);
            InputStream in = socket.getInputStream();
            String identity = readLine(in);
            if (identity == null) {
                return Exchange.failed(start, "closed without an answer");
            }
            socket.getOutputStream().write(PING);
            String echo = readLine(in);
            if (!"ping".equals(echo)) {
                return Exchange.failed(start, echo == null ? "closed before the echo" : "wrong echo");
            }
            return Exchange.served(start, identity);
        } catch (IOException e) {
            return Exchange.failed(start, TrafficClient.describe(e));
        }
    }

    /** One line without its newline; null at end of stream before a whole line. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                return null;
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }
}

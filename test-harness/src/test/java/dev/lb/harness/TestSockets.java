package dev.lb.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Plain blocking sockets for end-to-end tests, with timeouts so a broken balancer fails a test instead of hanging it. */
public final class TestSockets {

    private TestSockets() {
    }

    /** Connects to {@code address} (5 s to connect, 10 s per read). */
    public static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout(10_000);
            socket.connect(address, 5_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** One line without its newline; a partial last line as it is; null at end of stream with nothing read. */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
    }
}

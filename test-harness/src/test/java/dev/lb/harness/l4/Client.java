package dev.lb.harness.l4;

import dev.lb.harness.TestSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A blocking test client connected through the proxy; every read is bounded by a socket timeout. */
final class Client implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    Client(InetSocketAddress address) throws IOException {
        socket = TestSockets.connect(address);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Opens a connection, reads the backend's identity line, closes; null when the proxy closed without one. */
    static String identityThrough(InetSocketAddress proxy) throws IOException {
        try (Client client = new Client(proxy)) {
            return client.readLine();
        }
    }

    /** Reads one line (without the newline), or null at end of stream before any byte. */
    String readLine() throws IOException {
        return TestSockets.readLine(in);
    }

    /** Reads exactly {@code n} bytes. */
    byte[] readExactly(int n) throws IOException {
        return in.readNBytes(n);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

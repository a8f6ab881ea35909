package dev.lb.harness.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that answers each request head it reads with the bytes a script gives, written in the pieces given with
 * a pause between them: for responses no well-behaved server would send, or sends in such pieces. A request body is
 * read and dropped when a {@code Content-Length} gives it (tests send no chunked ones). Loopback only; each connection
 * is served by its own virtual thread.
 */
final class ScriptedBackend implements AutoCloseable {

    /** A piece of an answer that closes the connection instead of sending anything. */
    static final String CLOSE = "<close>";

    /**
     * What to send for the {@code request}-th request (from 0) of a connection, in pieces; {@link #CLOSE} as a piece
     * closes the connection there.
     */
    interface Script {
        List<String> answer(int request, String requestHead);
    }

    private final ServerSocket server;
    private final Script script;
    private final long pauseMillis;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** Starts answering with {@code script}, pausing {@code pauseMillis} between the pieces of an answer. */
    ScriptedBackend(Script script, long pauseMillis) throws IOException {
        this.script = script;
        this.pauseMillis = pauseMillis;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("scripted-backend-accept").start(this::accept);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Every request head read so far, in order. */
    List<String> requests() {
        return requests;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().name("scripted-backend-connection").start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            for (int request = 0; ; request++) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                requests.add(head);
                in.skipNBytes(contentLength(head));
                List<String> pieces = script.answer(request, head);
                for (int k = 0; k < pieces.size(); k++) {
                    if (k > 0) {
                        Thread.sleep(pauseMillis);
                    }
                    if (CLOSE.equals(pieces.get(k))) {
                        return;
                    }
                    out.write(pieces.get(k).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the proxy closed the connection, or the test ended
        }
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = c == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : c == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}

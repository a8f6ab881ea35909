package dev.lb.harness.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client speaking HTTP/1.1 by hand over one socket, for what real clients refuse to send (smuggling attempts,
 * trickled heads, hop-by-hop headers). Reads responses with Content-Length bodies, and sees when the proxy closes.
 */
final class RawClient implements AutoCloseable {

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * A response: status, headers (lower-case names, last value wins), body, and the head exactly as received (status
     * line to the empty line, line ends included).
     */
    record Response(int status, Map<String, String> headers, String body, String head) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Reads one response's head only (as for HEAD, whose Content-Length describes no body). */
    Response readResponseHeadOnly() throws IOException {
        return read(false);
    }

    /** Reads one response with a Content-Length body (or none). */
    Response readResponse() throws IOException {
        return read(true);
    }

    private Response read(boolean withBody) throws IOException {
        StringBuilder head = new StringBuilder();
        String statusLine = readLine(head);
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(head)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.ISO_8859_1), head.toString());
    }

    /** Whether the peer closed: reads until end of stream (or the socket timeout), dropping what comes. */
    boolean closedByPeer() {
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** Reads a line, without its end; {@code raw} gets it as read. */
    private String readLine(StringBuilder raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            raw.append((char) c);
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

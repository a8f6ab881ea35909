package dev.lb.harness.toxiproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 request written on a plain socket and everything read back until the end of the stream, with what
 * happened on the way: how many reads it took, when the stream ended, and any error. Lets a test see
 * the TCP-level effect of a fault (a reset, a truncation, fragmentation, a late close) that an HTTP client hides.
 */
record RawExchange(byte[] received, int reads, long endNanos, IOException error) {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** GET / with {@code Connection: close}, so a healthy exchange ends with the server closing. */
    static RawExchange get(InetSocketAddress address) {
        return send(address, ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@code request}, then reads until the end of the stream, an error, or a bounded read timeout. */
    static RawExchange send(InetSocketAddress address, byte[] request) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int reads = 0;
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                reads++;
                received.write(buffer, 0, n);
            }
            return new RawExchange(received.toByteArray(), reads, System.nanoTime() - start, null);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no end of stream within " + READ_TIMEOUT_MILLIS + " ms from " + address
                    + " after " + received.size() + " bytes", e);
        } catch (IOException e) {
            return new RawExchange(received.toByteArray(), reads, System.nanoTime() - start, e);
        }
    }

    String text() {
        return new String(received, StandardCharsets.ISO_8859_1);
    }

    /** Whether a whole 200 response with its body arrived. */
    boolean completeOk() {
        String text = text();
        int headerEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 200") || headerEnd < 0) {
            return false;
        }
        String lengthHeader = "content-length: ";
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf(lengthHeader);
        if (at < 0 || at > headerEnd) {
            return false;
        }
        int length = Integer.parseInt(text.substring(at + lengthHeader.length(), text.indexOf("\r\n", at)).strip());
        return received.length - (headerEnd + 4) == length;
    }

    /** From the connect to the end of the stream (or the error). */
    Duration end() {
        return Duration.ofNanos(endNanos);
    }

    @Override
    public String toString() {
        return "RawExchange[" + received.length + " bytes in " + reads + " reads, end after "
                + end().toMillis() + " ms, error " + error + ", text " + text().replace("\r\n", "\\r\\n") + "]";
    }
}

package dev.lb.harness.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An HTTP/1.1 {@code GET /} to a load balancer in front of {@link dev.lb.harness.backend.DummyHttpBackend}s, on a new
 * connection each time ({@code Connection: close}), so that every request is a fresh pick and no client-side retry
 * hides a failure. Served means a 2xx answer with the backend's {@code X-Backend} header and the whole body.
 */
final class HttpTrafficClient implements TrafficClient {

    private final int timeoutMillis;
    private final SSLSocketFactory tls;

    HttpTrafficClient(Duration timeout, boolean tls) {
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.tls = tls ? TrustingTls.socketFactory() : null;
    }

    @Override
    public Exchange send(InetSocketAddress entry) {
        long start = System.nanoTime();
        try (Socket socket = open(entry)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + entry.getAddress().getHostAddress() + ":" + entry.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = TcpTrafficClient.readLine(in);
            if (status == null) {
                return Exchange.failed(start, "closed without an answer");
            }
            String[] parts = status.trim().split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                return Exchange.failed(start, "not an HTTP answer: " + status.trim());
            }
            int code = Integer.parseInt(parts[1]);
            String backend = null;
            long length = -1;
            String line;
            while ((line = TcpTrafficClient.readLine(in)) != null && !line.trim().isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    if (name.equals("x-backend")) {
                        backend = value;
                    } else if (name.equals("content-length")) {
                        length = Long.parseLong(value);
                    }
                }
            }
            if (line == null) {
                return Exchange.failed(start, "closed in the headers");
            }
            if (length >= 0 && in.readNBytes((int) length).length != length) {
                return Exchange.failed(start, "closed in the body");
            }
            if (code < 200 || code > 299) {
                return Exchange.failed(start, "status " + code);
            }
            if (backend == null) {
                return Exchange.failed(start, "no X-Backend header");
            }
            return Exchange.served(start, backend);
        } catch (IOException | NumberFormatException e) {
            return Exchange.failed(start, e instanceof IOException io ? TrafficClient.describe(io)
                    : "malformed answer: " + e.getMessage());
        }
    }

    /** A connected socket, TLS over it when the listener terminates TLS. */
    Socket open(InetSocketAddress entry) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setSoTimeout(timeoutMillis);
            plain.connect(entry, timeoutMillis);
            if (tls == null) {
                return plain;
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(plain, entry.getAddress().getHostAddress(), entry.getPort(),
                    true);
            secure.setSoTimeout(timeoutMillis);
            secure.startHandshake();
            return secure;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }
}

package dev.lb.plugins.probes;

import dev.lb.spi.BlockingHealthProbe;
import dev.lb.spi.ProbeResult;
import dev.lb.spi.ProbeTarget;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The {@code http} probe of one pool: one HTTP/1.1 request per check on a fresh connection ({@code Connection:
 * close}), healthy when the status is in the expected set and, if asked, the body contains a given text.
 *
 * <p>Written with blocking sockets and run by the runtime on a virtual thread per check ({@link BlockingHealthProbe}),
 * which keeps it small and lets it set any {@code Host} header (the JDK's HTTP client refuses to). Every step
 * (connect, TLS handshake, each read) is bounded by what is left of the check's timeout, so no check outlives it.
 */
final class HttpProbe implements BlockingHealthProbe {

    /** How much of the body is searched for {@code body-contains}. */
    static final int BODY_LIMIT = 64 * 1024;

    private static final int HEADER_LIMIT = 64 * 1024;

    private final HttpProbeSettings settings;

    HttpProbe(HttpProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public ProbeResult checkBlocking(ProbeTarget target) {
        InetSocketAddress backend = target.backend().address();
        int port = settings.port() == TcpProbe.TRAFFIC_PORT ? backend.getPort() : settings.port();
        if (backend.isUnresolved()) {
            return ProbeResult.unhealthy("cannot resolve host " + backend.getHostString());
        }
        InetSocketAddress address = new InetSocketAddress(backend.getAddress(), port);
        Duration timeout = target.timeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        String host = settings.host() != null ? settings.host() : authority(backend.getHostString(), port);
        try (Socket socket = connect(address, host, deadline)) {
            return exchange(socket, host, deadline);
        } catch (SocketTimeoutException e) {
            return ProbeResult.unhealthy("timed out after " + TcpProbe.format(timeout));
        } catch (SSLException e) {
            return ProbeResult.unhealthy("TLS handshake failed: " + message(e));
        } catch (EOFException e) {
            return ProbeResult.unhealthy(e.getMessage());
        } catch (IOException e) {
            return ProbeResult.unhealthy(TcpProbe.reason(e));
        }
    }

    private Socket connect(InetSocketAddress address, String host, long deadline) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(address, remainingMillis(deadline));
            plain.setTcpNoDelay(true);
            if (!settings.tls()) {
                return plain;
            }
            SSLContext context = settings.sslContext();
            String serverName = stripPort(host);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, serverName, address.getPort(),
                    true);
            SSLParameters parameters = tls.getSSLParameters();
            if (!settings.insecure()) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (isHostName(serverName)) {
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
            }
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(remainingMillis(deadline));
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private ProbeResult exchange(Socket socket, String host, long deadline) throws IOException {
        String request = settings.method() + " " + settings.path() + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: lb-health\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        socket.setSoTimeout(remainingMillis(deadline));
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
        Response response = Response.read(in, HEADER_LIMIT);
        if (!settings.expectStatus().contains(response.status())) {
            return ProbeResult.unhealthy("status " + response.status() + ", expected " + settings.expectStatus());
        }
        if (settings.bodyContains() != null) {
            String body = new String(response.body(in, BODY_LIMIT), StandardCharsets.UTF_8);
            if (!body.contains(settings.bodyContains())) {
                return ProbeResult.unhealthy("status " + response.status() + " but the body does not contain \""
                        + settings.bodyContains() + "\"");
            }
        }
        return ProbeResult.healthy();
    }

    static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        // At least 1: 0 would mean "no timeout" to a socket.
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.ofNanos(left).toMillis()));
    }

    private static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String stripPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end > 0 ? authority.substring(1, end) : authority;
        }
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(':') == colon ? authority.substring(0, colon) : authority;
    }

    /** SNI carries names only, never an address literal. */
    private static boolean isHostName(String host) {
        return !host.isEmpty() && host.indexOf(':') < 0 && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static String message(Throwable e) {
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }

    /** Reads from a socket, each read bounded by what is left of the check's time. */
    private static final class DeadlineInputStream extends InputStream {

        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInputStream(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read(b, off, len);
        }
    }

    /** The status line and the headers that matter for reading the body. */
    record Response(int status, long contentLength, boolean chunked, boolean noBody) {

        static Response read(InputStream in, int limit) throws IOException {
            int[] budget = {limit};
            String statusLine = line(in, budget, true);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new EOFException("not an HTTP response: " + printable(statusLine));
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new EOFException("not an HTTP response: " + printable(statusLine));
            }
            long length = -1;
            boolean chunked = false;
            for (String header = line(in, budget, false); !header.isEmpty(); header = line(in, budget, false)) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new EOFException("not an HTTP response: bad Content-Length " + printable(value));
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            boolean noBody = status == 204 || status == 304 || status < 200;
            return new Response(status, length, chunked, noBody);
        }

        /** Up to {@code limit} bytes of the body (chunked, sized, or up to the end of the connection). */
        byte[] body(InputStream in, int limit) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (noBody) {
                return body.toByteArray();
            }
            if (chunked) {
                int[] budget = {HEADER_LIMIT};
                while (body.size() < limit) {
                    String sizeLine = line(in, budget, false);
                    int semicolon = sizeLine.indexOf(';');
                    long size;
                    try {
                        size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(),
                                16);
                    } catch (NumberFormatException e) {
                        throw new EOFException("not an HTTP response: bad chunk size " + printable(sizeLine));
                    }
                    if (size == 0) {
                        break;
                    }
                    copy(in, body, Math.min(size, limit - body.size()));
                    if (body.size() >= limit) {
                        break;
                    }
                    line(in, budget, false);
                }
            } else {
                long wanted = contentLength >= 0 ? Math.min(contentLength, limit) : limit;
                copy(in, body, wanted);
            }
            return body.toByteArray();
        }

        private static void copy(InputStream in, ByteArrayOutputStream out, long count) throws IOException {
            byte[] buffer = new byte[8192];
            long left = count;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return; // a body cut short is searched as far as it came
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }

        private static String line(InputStream in, int[] budget, boolean first) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException(first && line.size() == 0 ? "the connection closed without a response"
                            : "the response ended early");
                }
                if (--budget[0] < 0) {
                    throw new EOFException("not an HTTP response: headers longer than " + HEADER_LIMIT + " bytes");
                }
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
        }

        private static String printable(String text) {
            String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
        }
    }
}

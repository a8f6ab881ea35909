package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.spi.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The network to a backend is cut while a client is in the middle of a transfer through it: the link goes down,
 * closing its open connections and refusing new ones.
 *
 * <p>Expected: the client whose transfer was cut learns it promptly (its connection is closed or reset within
 * {@link #CUT_NOTICED}, not left hanging until an idle timeout); that is the only failed request when connects are
 * retried; the backend leaves rotation ({@code backend-down}) and serves again after the repair ({@code backend-up}).
 * Over TCP the transfer is an echo stream; over HTTP a long download ({@code GET /bytes}) read at a steady pace.
 */
public final class NetworkCutMidTransfer extends OneBackendFault {

    /** How soon the cut client must see its connection end. */
    static final Duration CUT_NOTICED = Duration.ofSeconds(5);
    private static final int CHUNK = 16 * 1024;
    /** Long enough to outlast the scenario at the download's pace of about 16 MB/s. */
    private static final long DOWNLOAD_BYTES = 1L << 30;

    /** The scenario; it holds no state between runs. */
    public NetworkCutMidTransfer() {
        super("network-cut-mid-transfer",
                "the link to a backend is cut during a long transfer; the client learns at once, others do not notice");
    }

    @Override
    void strike(ScenarioRun run, ScenarioTarget target, TestBackend victim) throws InterruptedException {
        run.fault("backend " + victim.name() + ": link cut during a streaming transfer");
        Socket stream = openTo(target, victim);
        if (stream == null) {
            run.fail("no connection landed on backend " + victim.name() + " in " + tries(target)
                    + " tries, so there was no transfer to cut");
            return;
        }
        AtomicLong echoed = new AtomicLong();
        AtomicReference<String> ended = new AtomicReference<>();
        AtomicLong endedAt = new AtomicLong();
        boolean http = target.protocol() == Protocol.HTTP;
        Thread transfer = Thread.ofPlatform().daemon().name("scenario-transfer").start(() -> {
            String how = http ? download(stream, echoed) : stream(stream, echoed);
            endedAt.set(System.nanoTime());
            ended.set(how);
        });
        try {
            // The transfer is under way when bytes have come back.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (echoed.get() < 4L * CHUNK && ended.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (echoed.get() < 4L * CHUNK) {
                run.fail("the transfer through backend " + victim.name() + " did not get going: "
                        + (ended.get() == null ? "nothing echoed in 5s" : ended.get()));
                return;
            }
            List<TestBackend> victims = List.of(victim);
            long cut = System.nanoTime();
            BackendDownHard.HardOutage.run(run, victims, () -> victim.link().down(), () -> victim.link().up());
            transfer.join(CUT_NOTICED.toMillis());
            if (ended.get() == null) {
                run.fail("the client whose transfer was cut was not told: its connection was still open "
                        + ScenarioRun.format(CUT_NOTICED) + " after the cut");
            } else {
                if (ended.get().equals("complete")) {
                    run.fail("the transfer completed although its link was cut");
                }
                run.note("the cut transfer ended " + ScenarioRun.format(Duration.ofNanos(endedAt.get() - cut))
                        + " after the cut (" + ended.get() + ", " + echoed.get() / 1024 + " KiB transferred before)");
            }
        } finally {
            closeQuietly(stream);
            victim.link().heal();
            transfer.join(1000);
        }
    }

    /**
     * Opens transfers until one is served by {@code victim} (its identity line over TCP, its {@code X-Backend} header
     * over HTTP); the open socket, or null.
     */
    /**
     * How many connections to open, at most, for one to land on the victim: enough that an algorithm picking at
     * random misses it every time with odds under one in a hundred million ((2/3)^48 for three backends; 12 tries
     * missed about once in 130 runs), and each try is one short-lived connection.
     */
    private static int tries(ScenarioTarget target) {
        return 16 * target.backends().size();
    }

    private static Socket openTo(ScenarioTarget target, TestBackend victim) {
        HttpTrafficClient http = new HttpTrafficClient(target.clientTimeout(), target.listener().tls() != null);
        for (int i = 0; i < tries(target); i++) {
            Socket socket = null;
            try {
                socket = http.open(target.entry());
                String backend = target.protocol() == Protocol.HTTP ? startDownload(socket, target)
                        : TcpTrafficClient.readLine(socket.getInputStream());
                if (victim.name().equals(backend)) {
                    return socket;
                }
            } catch (IOException e) {
                // Try again: only a transfer through the victim matters here.
            }
            if (socket != null) {
                closeQuietly(socket);
            }
        }
        return null;
    }

    /** Asks for {@value #DOWNLOAD_BYTES} bytes and reads the head of the answer; the backend that serves it. */
    private static String startDownload(Socket socket, ScenarioTarget target) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /bytes?n=" + DOWNLOAD_BYTES + " HTTP/1.1\r\nHost: " + target.entry().getAddress()
                .getHostAddress() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String status = TcpTrafficClient.readLine(in);
        if (status == null || !status.contains(" 200 ")) {
            return null;
        }
        String backend = null;
        String line;
        while ((line = TcpTrafficClient.readLine(in)) != null && !line.trim().isEmpty()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-backend:")) {
                backend = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return backend;
    }

    /**
     * Reads the download at a steady pace (so that it is still under way when the link is cut) until it fails or
     * ends; how it ended.
     */
    private static String download(Socket socket, AtomicLong received) {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return received.get() < DOWNLOAD_BYTES ? "closed before the end of the body" : "complete";
                }
                received.addAndGet(n);
                Thread.sleep(1);
            }
        } catch (IOException e) {
            return socket.isClosed() ? "closed by the scenario" : TrafficClient.describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Writes chunks and reads their echo until the connection fails; how it ended. */
    private static String stream(Socket socket, AtomicLong echoed) {
        byte[] out = new byte[CHUNK];
        Arrays.fill(out, (byte) 'x');
        byte[] in = new byte[CHUNK];
        try {
            OutputStream o = socket.getOutputStream();
            InputStream i = socket.getInputStream();
            while (true) {
                o.write(out);
                int got = 0;
                while (got < CHUNK) {
                    int n = i.read(in, got, CHUNK - got);
                    if (n < 0) {
                        return "closed";
                    }
                    got += n;
                }
                echoed.addAndGet(got);
            }
        } catch (IOException e) {
            return socket.isClosed() ? "closed by the scenario" : TrafficClient.describe(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do: it is being discarded.
        }
    }
}

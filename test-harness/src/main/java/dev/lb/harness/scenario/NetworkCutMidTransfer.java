package dev.lb.harness.scenario;

import dev.lb.harness.bed.TestBackend;
import dev.lb.spi.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
 * TCP listeners only: an HTTP exchange this long is a different scenario.
 */
public final class NetworkCutMidTransfer implements Scenario {

    /** How soon the cut client must see its connection end. */
    static final Duration CUT_NOTICED = Duration.ofSeconds(5);
    private static final int CHUNK = 16 * 1024;

    @Override
    public String name() {
        return "network-cut-mid-transfer";
    }

    @Override
    public String description() {
        return "the link to a backend is cut during a long transfer; the client learns at once, others do not notice";
    }

    @Override
    public boolean supports(Protocol protocol) {
        return protocol == Protocol.TCP;
    }

    @Override
    public ScenarioResult run(ScenarioTarget target) throws InterruptedException {
        ScenarioRun run = new ScenarioRun(this, target);
        TestBackend victim = run.victim();
        run.fault("backend " + victim.name() + ": link cut during a streaming transfer");
        if (!run.warmup()) {
            return run.result();
        }
        Socket stream = openTo(target, victim);
        if (stream == null) {
            run.fail("no connection landed on backend " + victim.name() + " in " + 4 * target.backends().size()
                    + " tries, so there was no transfer to cut");
            return run.result();
        }
        AtomicLong echoed = new AtomicLong();
        AtomicReference<String> ended = new AtomicReference<>();
        AtomicLong endedAt = new AtomicLong();
        Thread transfer = Thread.ofPlatform().daemon().name("scenario-transfer").start(() -> {
            String how = stream(stream, echoed);
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
                return run.result();
            }
            List<TestBackend> victims = List.of(victim);
            long cut = System.nanoTime();
            BackendDownHard.HardOutage.run(run, victims, () -> victim.link().down(), () -> victim.link().up());
            transfer.join(CUT_NOTICED.toMillis());
            if (ended.get() == null) {
                run.fail("the client whose transfer was cut was not told: its connection was still open "
                        + ScenarioRun.format(CUT_NOTICED) + " after the cut");
            } else {
                run.note("the cut transfer ended " + ScenarioRun.format(Duration.ofNanos(endedAt.get() - cut))
                        + " after the cut (" + ended.get() + ", " + echoed.get() / 1024 + " KiB echoed before)");
            }
        } finally {
            closeQuietly(stream);
            victim.link().heal();
            transfer.join(1000);
        }
        return run.result();
    }

    /** Connects until the identity line names {@code victim}; the open socket, or null. */
    private static Socket openTo(ScenarioTarget target, TestBackend victim) {
        for (int i = 0; i < 4 * target.backends().size(); i++) {
            Socket socket = new Socket();
            try {
                socket.setSoTimeout(Math.toIntExact(target.clientTimeout().toMillis()));
                socket.connect(target.entry(), Math.toIntExact(target.clientTimeout().toMillis()));
                if (victim.name().equals(TcpTrafficClient.readLine(socket.getInputStream()))) {
                    return socket;
                }
            } catch (IOException e) {
                // Try again: only a connection to the victim matters here.
            }
            closeQuietly(socket);
        }
        return null;
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

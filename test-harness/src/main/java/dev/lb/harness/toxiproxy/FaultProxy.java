package dev.lb.harness.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream (a backend), through which faults are injected on demand: the
 * link between the load balancer and a backend, made unreliable.
 *
 * <p>Point the client (the load balancer under test) at {@link #address()} instead of the upstream. With no fault it
 * forwards bytes both ways unchanged. Each fault method adds a fault that acts on the bytes in one {@link Direction}
 * (on open connections as well as new ones) and returns a {@link Fault} to remove it; several can be stacked.
 * {@link #heal()} removes them all and brings the proxy back up. Made by {@link ToxiproxyServer#proxy}.
 *
 * <p>Every method talks to the Toxiproxy server and has taken effect when it returns; a server that refuses is
 * reported as an {@link UncheckedIOException} saying which proxy and which fault.
 */
public final class FaultProxy implements AutoCloseable {

    private final ToxiproxyClient client;
    private final Proxy proxy;
    private final InetSocketAddress address;
    private final InetSocketAddress upstream;
    private final Consumer<FaultProxy> onClose;
    private final AtomicInteger faultCounter = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    FaultProxy(ToxiproxyClient client, Proxy proxy, InetSocketAddress upstream, Consumer<FaultProxy> onClose) {
        this.client = client;
        this.proxy = proxy;
        this.address = parseListen(proxy.getListen());
        this.upstream = upstream;
        this.onClose = onClose;
    }

    /** Its name on the Toxiproxy server. */
    public String name() {
        return proxy.getName();
    }

    /** Where clients connect: 127.0.0.1 and the port the proxy listens on (kept across {@link #down()}/{@link #up()}). */
    public InetSocketAddress address() {
        return address;
    }

    /** Where it forwards to. */
    public InetSocketAddress upstream() {
        return upstream;
    }

    /** The underlying toxiproxy-java proxy, for what this class does not cover. */
    public Proxy toxiproxy() {
        return proxy;
    }

    /**
     * Takes the link down: the proxy stops listening, so connects are refused, and its open connections are cut.
     * Undone by {@link #up()} or {@link #heal()}.
     */
    public void down() {
        call("disable the proxy", () -> proxy.disable());
    }

    /** Brings the link back up after {@link #down()}, on the same port; faults stay as they are. */
    public void up() {
        call("enable the proxy", () -> proxy.enable());
    }

    /** Whether it is up (listening), as the server says now. */
    public boolean isUp() {
        try {
            return client.getProxy(name()).isEnabled();
        } catch (IOException e) {
            throw failure("read the state of the proxy", e);
        }
    }

    /**
     * Delays the data by {@code latency}, give or take up to {@code jitter} (uniformly), per chunk of data.
     *
     * @param latency the added delay, at least 0
     * @param jitter the random variation around it, at least 0 ({@link Duration#ZERO} for none)
     */
    public Fault latency(Direction direction, Duration latency, Duration jitter) {
        long latencyMs = millis("latency", latency);
        long jitterMs = millis("jitter", jitter);
        return add("latency", direction, name -> {
            Latency toxic = proxy.toxics().latency(name, direction.toxicDirection(), latencyMs);
            if (jitterMs > 0) {
                toxic.setJitter(jitterMs);
            }
            return toxic;
        });
    }

    /**
     * Limits the throughput to {@code kilobytesPerSecond} KB/s.
     *
     * @param kilobytesPerSecond the rate, at least 1
     */
    public Fault bandwidth(Direction direction, long kilobytesPerSecond) {
        positive("kilobytesPerSecond", kilobytesPerSecond);
        return add("bandwidth", direction,
                name -> proxy.toxics().bandwidth(name, direction.toxicDirection(), kilobytesPerSecond));
    }

    /**
     * Stops all data from passing, and closes each connection after {@code timeout}; with {@link Duration#ZERO} the
     * connections hang, silent, until the fault is removed (a black hole).
     */
    public Fault timeout(Direction direction, Duration timeout) {
        long timeoutMs = millis("timeout", timeout);
        return add("timeout", direction, name -> proxy.toxics().timeout(name, direction.toxicDirection(), timeoutMs));
    }

    /**
     * Resets the connections (TCP RST, "connection reset by peer") once data flows in {@code direction}, after
     * {@code after} ({@link Duration#ZERO} for at once).
     */
    public Fault resetPeer(Direction direction, Duration after) {
        long afterMs = millis("after", after);
        return add("reset_peer", direction,
                name -> proxy.toxics().resetPeer(name, direction.toxicDirection(), afterMs));
    }

    /** Delays the closing of the connection (the FIN) by {@code delay} after the other side closed it. */
    public Fault slowClose(Direction direction, Duration delay) {
        long delayMs = millis("delay", delay);
        return add("slow_close", direction, name -> proxy.toxics().slowClose(name, direction.toxicDirection(), delayMs));
    }

    /**
     * Cuts the data into small packets of about {@code averageBytes} (give or take {@code variationBytes}) sent
     * {@code delay} apart: fragmented reads for the peer.
     *
     * @param averageBytes average packet size, at least 1
     * @param variationBytes random variation of the size, from 0 to less than {@code averageBytes}
     * @param delay the pause between packets, at least 0 (microsecond precision)
     */
    public Fault slicer(Direction direction, long averageBytes, long variationBytes, Duration delay) {
        positive("averageBytes", averageBytes);
        if (variationBytes < 0 || variationBytes >= averageBytes) {
            throw new IllegalArgumentException("variationBytes must be from 0 to averageBytes - 1 (" + (averageBytes - 1)
                    + "), not " + variationBytes);
        }
        long delayMicros = nonNegative("delay", delay).toNanos() / 1_000;
        return add("slicer", direction, name -> proxy.toxics()
                .slicer(name, direction.toxicDirection(), averageBytes, delayMicros)
                .setSizeVariation(variationBytes));
    }

    /**
     * Closes each connection once {@code bytes} bytes have passed in {@code direction}: a truncated request or
     * response.
     *
     * @param bytes how many bytes get through, at least 1
     */
    public Fault limitData(Direction direction, long bytes) {
        positive("bytes", bytes);
        return add("limit_data", direction, name -> proxy.toxics().limitData(name, direction.toxicDirection(), bytes));
    }

    /** The names of the faults active now, as the server says. */
    public List<String> faultNames() {
        try {
            return proxy.toxics().getAll().stream().map(Toxic::getName).toList();
        } catch (IOException e) {
            throw failure("list the faults", e);
        }
    }

    /** Removes every fault and brings the link up: a clean pass-through again. */
    public void heal() {
        try {
            for (Toxic toxic : proxy.toxics().getAll()) {
                toxic.remove();
            }
            proxy.enable();
        } catch (IOException e) {
            throw failure("heal the proxy", e);
        }
    }

    /** Deletes the proxy from the server, closing its connections. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        call("delete the proxy", () -> proxy.delete());
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "proxy '" + name() + "' 127.0.0.1:" + address.getPort() + " -> " + upstream.getHostString() + ":"
                + upstream.getPort();
    }

    private Fault add(String type, Direction direction, ToxicFactory factory) {
        Objects.requireNonNull(direction, "direction");
        String name = type + "_" + direction.wireName() + "_" + faultCounter.incrementAndGet();
        try {
            return new Fault(this, factory.create(name), type, direction);
        } catch (IOException e) {
            throw failure("add a " + type + " fault " + direction.wireName(), e);
        }
    }

    private void call(String what, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw failure(what, e);
        }
    }

    private UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException("Toxiproxy cannot " + what + " of " + this + ": " + e.getMessage(), e);
    }

    private static InetSocketAddress parseListen(String listen) {
        int colon = listen.lastIndexOf(':');
        return new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
    }

    private static long millis(String what, Duration duration) {
        return nonNegative(what, duration).toMillis();
    }

    private static Duration nonNegative(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, but is " + duration);
        }
        return duration;
    }

    private static void positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, not " + value);
        }
    }

    @FunctionalInterface
    private interface ToxicFactory {
        Toxic create(String name) throws IOException;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}

package dev.lb.runtime.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How the event loops wait for and do I/O: Linux's io_uring, Linux's epoll, or Java NIO (anywhere). The native two
 * need their library to load and the kernel to allow them; containers often forbid io_uring.
 *
 * <p>{@link #automatic()} takes the first of io_uring, epoll and NIO that this machine allows: io_uring takes the least
 * CPU per request (bench/README.md has the figures), and epoll is there wherever it is refused.
 */
public enum TransportKind {

    /** Linux io_uring: submissions and completions through rings shared with the kernel, fewer system calls. */
    IO_URING("io_uring", IoUring::isAvailable, IoUring::unavailabilityCause, IoUringIoHandler::newFactory,
            IoUringServerSocketChannel.class, IoUringSocketChannel.class),
    /** Linux epoll, level-triggered. */
    EPOLL("epoll", Epoll::isAvailable, Epoll::unavailabilityCause, EpollKeepingRegistrations::new,
            EpollServerSocketChannel.class, EpollSocketChannel.class),
    /** Java NIO: every platform. */
    NIO("nio", () -> true, () -> null, NioIoHandler::newFactory, NioServerSocketChannel.class,
            NioSocketChannel.class);

    /** The JVM system property that chooses the kind when nothing else does ({@link #configured()}). */
    public static final String PROPERTY = "lb.transport";

    private final String label;
    private final Supplier<Boolean> available;
    private final Supplier<Throwable> unavailabilityCause;
    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends SocketChannel> socketChannelType;

    TransportKind(String label, Supplier<Boolean> available, Supplier<Throwable> unavailabilityCause,
            Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannelType,
            Class<? extends SocketChannel> socketChannelType) {
        this.label = label;
        this.available = available;
        this.unavailabilityCause = unavailabilityCause;
        this.handlers = handlers;
        this.serverChannelType = serverChannelType;
        this.socketChannelType = socketChannelType;
    }

    /** What {@code auto} means: the first of io_uring, epoll and NIO that this machine allows. */
    public static TransportKind automatic() {
        return available().getFirst(); // NIO is always there
    }

    /** The kinds this machine allows, in the order {@link #automatic()} tries them. */
    public static List<TransportKind> available() {
        return Arrays.stream(values()).filter(TransportKind::isAvailable).toList();
    }

    /**
     * The kind named by the {@value #PROPERTY} system property, or {@link #automatic()} when it is unset or
     * {@code auto}.
     *
     * @throws IllegalArgumentException when the property names no kind
     */
    public static TransportKind configured() {
        return configured(System.getProperty(PROPERTY));
    }

    static TransportKind configured(String name) {
        if (name == null) {
            return automatic();
        }
        try {
            return parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + PROPERTY + ": " + e.getMessage(), e);
        }
    }

    /**
     * The kind named {@code name} ({@code io_uring}, {@code epoll} or {@code nio}, any case), or
     * {@link #automatic()} for {@code auto}.
     *
     * @throws IllegalArgumentException when {@code name} is none of those
     */
    public static TransportKind parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("auto")) {
            return automatic();
        }
        return Arrays.stream(values()).filter(kind -> kind.label.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transport '" + name + "': expected auto, "
                        + Arrays.stream(values()).map(TransportKind::label).collect(Collectors.joining(", "))));
    }

    /** The name operators use: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String label() {
        return label;
    }

    /** Whether this machine allows this kind: its native library loaded and the kernel accepted it. */
    public boolean isAvailable() {
        return available.get();
    }

    /**
     * This kind, when this machine allows it.
     *
     * @throws IllegalStateException when it does not, saying why and what to choose instead
     */
    public TransportKind requireAvailable() {
        if (isAvailable()) {
            return this;
        }
        Throwable cause = unavailabilityCause();
        throw new IllegalStateException("the " + this + " transport is not available on this machine"
                + (cause == null ? "" : " (" + cause + ")") + "; choose another, or auto for the default ("
                + automatic() + " here)", cause);
    }

    /** Why this kind is not available, or null when it is. */
    public Throwable unavailabilityCause() {
        return isAvailable() ? null : unavailabilityCause.get();
    }

    IoHandlerFactory ioHandlerFactory() {
        return handlers.get();
    }

    Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }

    @Override
    public String toString() {
        return label;
    }
}

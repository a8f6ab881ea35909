package dev.lb.harness.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP backend for tests: on each connection it first writes its identity line ({@code name + "\n"}), then echoes
 * every byte it receives, with backpressure (it stops reading while the client is not reading its echo). When the
 * client shuts its output, the backend finishes echoing and shuts its own, so half-close can be tested end to end.
 *
 * <pre>{@code
 * try (DummyTcpBackend a = DummyTcpBackend.start("a")) {
 *     // configure a backend at a.address(), connect through the load balancer, read "a\n" first
 *     a.stop();      // now refuses connections
 *     a.restart();   // same port again
 * }
 * }</pre>
 *
 * <p>It can be told to misbehave: {@link #delay(Duration)} holds back the identity line and every echo,
 * {@link #dropConnections(boolean)} closes each new connection at once without a word, {@link #closeConnections()}
 * cuts the open ones, and {@link #stop()} / {@link #restart()} take it off and back onto the same port.
 *
 * <p>Listens on 127.0.0.1 only. Thread-safe.
 */
public final class DummyTcpBackend extends AbstractDummyBackend {

    private final byte[] identity;
    private final AtomicLong echoed = new AtomicLong();
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean dropConnections;

    private DummyTcpBackend(String name) {
        super(name, "tcp", true);
        this.identity = (name + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Starts a backend named {@code name} on a free port of 127.0.0.1. */
    public static DummyTcpBackend start(String name) {
        return start(name, 0);
    }

    /**
     * Starts a backend named {@code name} on {@code port} of 127.0.0.1 (0 for a free one).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static DummyTcpBackend start(String name, int port) {
        DummyTcpBackend backend = new DummyTcpBackend(name);
        backend.listen(port);
        return backend;
    }

    @Override
    void initConnection(Channel channel) {
        if (dropConnections) {
            channel.close();
            return;
        }
        channel.pipeline().addLast(new Echo());
    }

    /** Waits {@code delay} before the identity line and before each echo ({@link Duration#ZERO} to stop). */
    public DummyTcpBackend delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, but is " + delay);
        }
        this.delay = delay;
        return this;
    }

    /** When true, closes each new connection as soon as it is accepted, before the identity line. */
    public DummyTcpBackend dropConnections(boolean drop) {
        this.dropConnections = drop;
        return this;
    }

    /** Bytes echoed back so far, across connections. */
    public long bytesEchoed() {
        return echoed.get();
    }

    /** Writes now or after the configured delay; the order of writes is kept as each waits the same delay. */
    private void send(ChannelHandlerContext ctx, Object msg) {
        Duration wait = delay;
        if (wait.isZero()) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        } else {
            ctx.executor().schedule(() -> ctx.writeAndFlush(msg, ctx.voidPromise()), wait.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Identity line, then echo with backpressure and half-close. */
    private final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            send(ctx, ctx.alloc().buffer(identity.length).writeBytes(identity));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                echoed.addAndGet(buf.readableBytes());
                if (delay.isZero()) {
                    ctx.write(msg, ctx.voidPromise());
                } else {
                    send(ctx, msg);
                }
                if (!ctx.channel().isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                Runnable finish = () -> ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f ->
                        ((DuplexChannel) ctx.channel()).shutdownOutput().addListener(ChannelFutureListener.CLOSE));
                Duration wait = delay;
                if (wait.isZero()) {
                    finish.run();
                } else {
                    // After the delayed echoes still on their way.
                    ctx.executor().schedule(finish, wait.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

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
 * <p>Listens on 127.0.0.1 only. Thread-safe.
 */
public final class DummyTcpBackend extends AbstractDummyBackend {

    private final byte[] identity;

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
        channel.pipeline().addLast(new Echo());
    }

    /** Identity line, then echo with backpressure and half-close. */
    private final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().buffer(identity.length).writeBytes(identity));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                ctx.write(msg, ctx.voidPromise());
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
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f ->
                        ((DuplexChannel) ctx.channel()).shutdownOutput().addListener(ChannelFutureListener.CLOSE));
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

package dev.lb.runtime.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client takes to send a request head (slowloris): the clock starts when the connection opens and,
 * between requests, at the first byte of the next one, and stops when the {@link ClientHandler} has the whole head.
 * When it runs out, {@link #EVENT} is fired down the pipeline. Sits before the codec, so it sees raw bytes.
 */
final class HeadTimeout extends ChannelInboundHandlerAdapter {

    /** Fired when a request head did not arrive in time. */
    static final Object EVENT = new Object() {
        @Override
        public String toString() {
            return "HeadTimeout.EVENT";
        }
    };

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean awaiting = true;

    HeadTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            arm(); // added after TLS chose HTTP/1.1 by ALPN: the connection is already open
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaiting && timer == null) {
            arm();
        }
        ctx.fireChannelRead(msg);
    }

    /** The head of the current request is complete: stop the clock. */
    void headReceived() {
        awaiting = false;
        cancel();
    }

    /** The previous exchange is done: the clock starts again at the next byte. */
    void awaitNext() {
        awaiting = true;
    }

    private void arm() {
        cancel();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (awaiting && ctx.channel().isActive()) {
                ctx.fireUserEventTriggered(EVENT);
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }
}

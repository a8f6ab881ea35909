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
    /** At most one pending check per connection; left in place between requests (see {@link #start()}). */
    private ScheduledFuture<?> timer;
    private boolean awaiting = true;
    /** Whether the clock runs for the head awaited now, and when it runs out. */
    private boolean running;
    private long deadline;

    HeadTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start(); // added after TLS chose HTTP/1.1 by ALPN: the connection is already open
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaiting && !running) {
            start();
        }
        ctx.fireChannelRead(msg);
    }

    /** The head of the current request is complete: stop the clock. */
    void headReceived() {
        awaiting = false;
        running = false;
    }

    /** The previous exchange is done: the clock starts again at the next byte. */
    void awaitNext() {
        awaiting = true;
    }

    /**
     * Starts the clock. A keep-alive connection starts and stops it once per request, so this does not schedule and
     * cancel a task each time (a priority-queue insert and removal on the event loop per request): a check already
     * pending stays, and when it comes early it schedules itself again for what is left, as Netty's
     * {@code IdleStateHandler} does.
     */
    private void start() {
        running = true;
        deadline = System.nanoTime() + timeoutNanos;
        if (timer == null) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (!running || !awaiting || !ctx.channel().isActive()) {
            return; // the head came in time; the next start() schedules again
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
        } else {
            ctx.fireUserEventTriggered(EVENT);
        }
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

package dev.lb.runtime.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} down the pipeline when nothing was read or written for the idle
 * timeout, as Netty's {@code IdleStateHandler(0, 0, timeout)} does, for less: one pending task and a timestamp per
 * connection, and nothing per write (that handler adds a listener to each write's promise, so a void promise becomes
 * a new one per write). A write counts when it is made, not when the socket took it.
 *
 * <p>The task is scheduled once and, when it comes early because something moved meanwhile, again for what is left,
 * so that reads and writes never touch the event loop's timer queue. A subclass may add deadlines of its own on the
 * same task ({@link #nextCheck}, {@link #check}).
 */
public class IdleTimeout extends ChannelDuplexHandler implements Runnable {

    private final long idleNanos;
    private ChannelHandlerContext ctx;
    /** The pending check; one while the connection is open. */
    private ScheduledFuture<?> timer;
    /** When something was last read or written, on the event loop's ticker (System.nanoTime in production). */
    private long lastActivity;

    /** @param idleNanos how long nothing may move, in nanoseconds; positive */
    public IdleTimeout(long idleNanos) {
        if (idleNanos <= 0) {
            throw new IllegalArgumentException("idle timeout must be positive, was " + idleNanos + "ns");
        }
        this.idleNanos = idleNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            open(); // an accepted connection is open already, as is one added after a TLS handshake
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        open();
        ctx.fireChannelActive();
    }

    private void open() {
        if (timer != null || !ctx.channel().isActive()) {
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        lastActivity = now;
        opened(now);
        schedule(now);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = ctx.executor().ticker().nanoTime();
        lastActivity = now;
        read(now);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = ctx.executor().ticker().nanoTime();
        ctx.write(msg, promise);
    }

    /** The context of this handler, once added (for what is added after it). */
    public final ChannelHandlerContext context() {
        return ctx;
    }

    /** The connection opened (or this handler was added to an open one) at {@code now}. Nothing by default. */
    protected void opened(long now) {
    }

    /** Something was read at {@code now}, before it goes on down the pipeline. Nothing by default. */
    protected void read(long now) {
    }

    /**
     * When to check next, given the idle deadline: that deadline by default. A subclass with a deadline of its own
     * returns the earlier one.
     */
    protected long nextCheck(long now, long idleDeadline) {
        return idleDeadline;
    }

    /** A check at {@code now}, before the idle one: returns true when it acted, and the idle check waits. */
    protected boolean check(long now) {
        return false;
    }

    /** Nothing moved for the idle timeout: fires the idle event. */
    protected void idle(ChannelHandlerContext ctx) {
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    private void schedule(long now) {
        long next = nextCheck(now, lastActivity + idleNanos);
        timer = ctx.executor().schedule(this, Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    /** The check, on the event loop. */
    @Override
    public final void run() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = ctx.executor().ticker().nanoTime();
        if (!check(now) && now - (lastActivity + idleNanos) >= 0) {
            lastActivity = now; // as IdleStateHandler: fires again after another period if the channel stays open
            idle(ctx);
        }
        if (ctx.channel().isActive()) {
            schedule(now);
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

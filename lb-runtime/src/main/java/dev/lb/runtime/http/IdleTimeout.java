package dev.lb.runtime.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} down the pipeline when nothing was read or written for the
 * timeout, as Netty's {@code IdleStateHandler(0, 0, timeout)} does, without its cost per write: that handler turns
 * every write's void promise into a real one and adds a listener to it (two objects per write, on a path that writes
 * twice per proxied request and connection). Here a write counts as activity when it is made, not when it completes:
 * a write that never completes leaves the connection idle once the timeout passes with nothing else moving.
 *
 * <p>One pending check per connection, which re-arms itself for what is left when it comes early.
 */
final class IdleTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private long lastActivity;
    private ScheduledFuture<?> check;

    IdleTimeout(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(); // added to an open connection (after TLS chose HTTP/1.1 by ALPN)
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    private void start() {
        lastActivity = System.nanoTime();
        if (check == null) {
            check = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        check = null;
        if (!ctx.channel().isOpen()) {
            return;
        }
        long left = lastActivity + timeoutNanos - System.nanoTime();
        if (left > 0) {
            check = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
            return;
        }
        // Again after a further timeout of silence, as IdleStateHandler does, should the event not close the channel.
        lastActivity = System.nanoTime();
        check = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}

package dev.lb.runtime.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of an HTTP/1.1 client connection: both its timeouts on one timer, and the rest of its pipeline built only
 * once the client sends something.
 *
 * <ul>
 *   <li>Header timeout (slowloris): the clock starts when the connection opens and, between requests, at the first
 *       byte of the next one, and stops when the {@link ClientHandler} has the whole head. When it runs out,
 *       {@link #EVENT} is fired down the pipeline.</li>
 *   <li>Idle timeout: when nothing was read or written for that long, {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} is
 *       fired down the pipeline, as Netty's {@code IdleStateHandler} would (the handlers after this one close).</li>
 *   <li>Until the first bytes, this is the connection's only handler: an idle client costs the channel and this
 *       object, not a codec and a {@link ClientHandler} too. The {@code install} action adds those after it on the
 *       first read (or when the header timeout runs out, so that the 408 is written and logged as always).</li>
 * </ul>
 *
 * <p>One pending task per connection serves both timeouts. Starting and stopping the head clock for each keep-alive
 * request never schedules or cancels a task (a priority-queue insert and removal on the event loop per request):
 * the task never sleeps longer than the header timeout, so any head clock started meanwhile is checked in time, and
 * when it comes early it schedules itself again for what is left. Sits before the codec, so it sees raw bytes.
 */
final class HeadTimeout extends ChannelDuplexHandler implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(HeadTimeout.class);

    /** Fired when a request head did not arrive in time. */
    static final Object EVENT = new Object() {
        @Override
        public String toString() {
            return "HeadTimeout.EVENT";
        }
    };

    /**
     * What every connection of a listener shares: the two timeouts and what to add after the clock on the first
     * bytes (given the clock, so that the {@link ClientHandler} can talk to it).
     */
    record Settings(long headNanos, long idleNanos, Consumer<HeadTimeout> install) {
        Settings {
            if (headNanos <= 0 || idleNanos <= 0) {
                throw new IllegalArgumentException("timeouts must be positive: header " + headNanos
                        + "ns, idle " + idleNanos + "ns");
            }
        }
    }

    private final Settings settings;
    private ChannelHandlerContext ctx;
    /** The pending check; always one while the connection is open. */
    private ScheduledFuture<?> timer;
    /** When something was last read or written (System.nanoTime). */
    private long lastActivity;
    /** When the head awaited now must be complete, while {@link #running}. */
    private long headDeadline;
    private boolean awaiting = true;
    /** Whether the clock runs for the head awaited now. */
    private boolean running;
    private boolean installed;

    HeadTimeout(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            open(); // an accepted connection is open already, as is one where TLS chose HTTP/1.1 by ALPN
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
        long now = System.nanoTime();
        lastActivity = now;
        startHead(now);
        schedule(now);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastActivity = now;
        if (awaiting && !running) {
            startHead(now);
        }
        install();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!installed && evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client shut its side before sending anything: nothing is left to answer
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (installed) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        // The ClientHandler would log and close; before any request there is nothing more to say.
        log.debug("client {} failed before sending anything: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /**
     * The listener stops: closes the connection when the client has sent nothing yet, and otherwise lets the
     * {@link ClientHandler} finish the request in progress (none after a switch of protocols). On the event loop.
     */
    void drain() {
        if (!installed) {
            ctx.close();
            return;
        }
        ClientHandler handler = ctx.pipeline().get(ClientHandler.class);
        if (handler != null) {
            handler.drain();
        }
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

    private void startHead(long now) {
        running = true;
        headDeadline = now + settings.headNanos();
    }

    private void install() {
        if (!installed) {
            installed = true;
            settings.install().accept(this);
        }
    }

    /** The pipeline after this handler's, for the install action. */
    ChannelHandlerContext context() {
        return ctx;
    }

    /**
     * The next check: at the earlier of the two deadlines, and never later than one header timeout from now, since a
     * head clock may start meanwhile (see the class comment).
     */
    private void schedule(long now) {
        long next = lastActivity + settings.idleNanos();
        next = Math.min(next, running ? headDeadline : now + settings.headNanos());
        timer = ctx.executor().schedule(this, Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    /** The check, on the event loop. */
    @Override
    public void run() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (running && awaiting && now - headDeadline >= 0) {
            running = false; // fired once; the handler after this one answers 408 and closes
            install();
            ctx.fireUserEventTriggered(EVENT);
        } else if (now - (lastActivity + settings.idleNanos()) >= 0) {
            lastActivity = now; // as IdleStateHandler: fire again after another period if still open
            if (installed) {
                ctx.fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
            } else {
                ctx.close();
            }
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

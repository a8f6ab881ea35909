package dev.lb.runtime.http;

import dev.lb.runtime.transport.IdleTimeout;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of an HTTP/1.1 client connection: its header and idle timeouts on one timer, and the rest of its pipeline
 * built only once the client sends something.
 *
 * <ul>
 *   <li>Header timeout (slowloris): the clock starts when the connection opens and, between requests, at the first
 *       byte of the next one, and stops when the {@link ClientHandler} has the whole head. When it runs out,
 *       {@link #EVENT} is fired down the pipeline.</li>
 *   <li>Idle timeout ({@link IdleTimeout}): when nothing was read or written for that long,
 *       {@link IdleStateEvent#ALL_IDLE_STATE_EVENT} is fired down the pipeline (the handlers after this one close).
 *       </li>
 *   <li>Until the first bytes, this is the connection's only handler: an idle client costs the channel and this
 *       object, not a codec and a {@link ClientHandler} too. The {@code install} action adds those after it on the
 *       first read (or when the header timeout runs out, so that the 408 is written and logged as always).</li>
 * </ul>
 *
 * <p>Starting and stopping the head clock for each keep-alive request never schedules or cancels a task (a
 * priority-queue insert and removal on the event loop per request): the one pending check never sleeps longer than
 * the header timeout, so a head clock started meanwhile is checked in time, and when it comes early it schedules
 * itself again for what is left. Sits before the codec, so it sees raw bytes.
 */
final class HeadTimeout extends IdleTimeout {

    private static final Logger log = LoggerFactory.getLogger(HeadTimeout.class);

    /** Fired when a request head did not arrive in time. */
    static final Object EVENT = new Object() {
        @Override
        public String toString() {
            return "HeadTimeout.EVENT";
        }
    };

    /**
     * What every connection of a listener shares: the two timeouts and what to add after the clock at the first
     * bytes (given the clock, so that the {@link ClientHandler} can talk to it).
     */
    record Settings(long headNanos, long idleNanos, Consumer<HeadTimeout> install) {
        Settings {
            if (headNanos <= 0) {
                throw new IllegalArgumentException("header timeout must be positive, was " + headNanos + "ns");
            }
        }
    }

    private final Settings settings;
    /** When the head awaited now must be complete, while {@link #running}. */
    private long headDeadline;
    private boolean awaiting = true;
    /** Whether the clock runs for the head awaited now. */
    private boolean running;
    private boolean installed;

    HeadTimeout(Settings settings) {
        super(settings.idleNanos());
        this.settings = settings;
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
     * The listener stops: closes the connection when the client has sent nothing yet, and otherwise lets the
     * {@link ClientHandler} finish the request in progress (none after a switch of protocols). On the event loop.
     */
    void drain() {
        if (!installed) {
            context().close();
            return;
        }
        ClientHandler handler = context().pipeline().get(ClientHandler.class);
        if (handler != null) {
            handler.drain();
        }
    }

    @Override
    protected void opened(long now) {
        startHead(now);
    }

    @Override
    protected void read(long now) {
        if (awaiting && !running) {
            startHead(now);
        }
        install();
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

    /** No later than one header timeout from now, since a head clock may start meanwhile (see the class comment). */
    @Override
    protected long nextCheck(long now, long idleDeadline) {
        return Math.min(idleDeadline, running ? headDeadline : now + settings.headNanos());
    }

    @Override
    protected boolean check(long now) {
        if (!running || !awaiting || now - headDeadline < 0) {
            return false;
        }
        running = false; // fired once; the handler after this one answers 408 and closes
        install();
        context().fireUserEventTriggered(EVENT);
        return true;
    }

    @Override
    protected void idle(ChannelHandlerContext ctx) {
        if (installed) {
            super.idle(ctx);
        } else {
            ctx.close(); // as the ClientHandler would between requests, silently
        }
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
}

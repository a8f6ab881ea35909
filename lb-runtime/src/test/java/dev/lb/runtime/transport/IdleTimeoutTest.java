package dev.lb.runtime.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link IdleTimeout} on a channel whose clock the test moves: when the idle event fires, and what postpones it. */
class IdleTimeoutTest {

    private static final long IDLE_MILLIS = 1_000;

    /** The user events that reached the end of the pipeline. */
    private final List<Object> events = new ArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime(); // the handler reads the loop's clock when added: only the test moves it
        channel.pipeline().addLast(new IdleTimeout(TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
        return channel;
    }

    private static void advance(EmbeddedChannel channel, long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void firesTheIdleEventWhenNothingMovedForTheTimeoutAndAgainAfterAnotherPeriod() {
        EmbeddedChannel channel = channel();
        advance(channel, IDLE_MILLIS - 1);
        assertTrue(events.isEmpty(), "not before the timeout");
        advance(channel, 1);
        assertEquals(List.of(IdleStateEvent.ALL_IDLE_STATE_EVENT), events);
        advance(channel, IDLE_MILLIS);
        assertEquals(2, events.size(), "again after another period, as IdleStateHandler does");
        channel.finishAndReleaseAll();
    }

    @Test
    void aReadOrAWritePostponesIt() {
        EmbeddedChannel channel = channel();
        advance(channel, 600);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        ReferenceCountUtil.release(channel.readInbound());
        advance(channel, 600);
        assertTrue(events.isEmpty(), "1.2s after opening but 0.6s after the read");
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));
        ReferenceCountUtil.release(channel.readOutbound());
        advance(channel, 999);
        assertTrue(events.isEmpty(), "0.999s after the write");
        advance(channel, 1);
        assertEquals(List.of(IdleStateEvent.ALL_IDLE_STATE_EVENT), events);
        channel.finishAndReleaseAll();
    }

    @Test
    void nothingFiresOnceTheChannelIsClosedOrTheHandlerRemoved() {
        EmbeddedChannel closed = channel();
        closed.close();
        advance(closed, 5 * IDLE_MILLIS);
        EmbeddedChannel removed = channel();
        removed.pipeline().remove(IdleTimeout.class);
        advance(removed, 5 * IDLE_MILLIS);
        assertTrue(events.isEmpty());
        assertFalse(removed.hasPendingTasks(), "the pending check was cancelled");
        removed.finishAndReleaseAll();
    }

    @Test
    void refusesATimeoutThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new IdleTimeout(0));
    }
}

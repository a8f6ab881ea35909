package dev.lb.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * {@link HeadTimeout} on a channel whose clock the test moves: the header clock from accept and from the next
 * request's first byte, the idle timeout, and the handlers it adds at the first bytes.
 */
class HeadTimeoutTest {

    private static final long HEAD_MILLIS = 1_000;

    /** The user events that reached the added handler. */
    private final List<Object> events = new ArrayList<>();
    private int installs;
    private HeadTimeout clock;

    /** A connection whose "rest of the pipeline" is a handler recording the events it gets. */
    private EmbeddedChannel connection(long idleMillis) {
        HeadTimeout.Settings settings = new HeadTimeout.Settings(TimeUnit.MILLISECONDS.toNanos(HEAD_MILLIS),
                TimeUnit.MILLISECONDS.toNanos(idleMillis), installed -> {
                    installs++;
                    ChannelHandlerContext ctx = installed.context();
                    ctx.pipeline().addAfter(ctx.name(), "recorder", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                        }

                        @Override
                        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            events.add(evt);
                        }
                    });
                });
        clock = new HeadTimeout(settings);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime(); // the clock reads the loop's time when added: only the test moves it
        channel.pipeline().addLast("clock", clock);
        return channel;
    }

    private static void advance(EmbeddedChannel channel, long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private static void send(EmbeddedChannel channel) {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
    }

    @Test
    void aSilentConnectionHoldsNoOtherHandlerUntilItsHeaderTimeoutAndThenGetsThemForThe408() {
        EmbeddedChannel channel = connection(60_000);
        advance(channel, HEAD_MILLIS - 1);
        assertEquals(0, installs, "nothing added while the client sends nothing");
        assertEquals(List.of("clock"), channel.pipeline().names().subList(0, 1));
        assertNull(channel.pipeline().get("recorder"));
        advance(channel, 1);
        assertEquals(1, installs, "added to answer 408");
        assertEquals(List.of(HeadTimeout.EVENT), events);
        channel.finishAndReleaseAll();
    }

    @Test
    void theFirstBytesInstallTheRestOnceAndACompleteHeadStopsTheClock() {
        EmbeddedChannel channel = connection(60_000);
        advance(channel, 500);
        send(channel);
        send(channel);
        assertEquals(1, installs);
        clock.headReceived();
        advance(channel, 10 * HEAD_MILLIS);
        assertTrue(events.isEmpty(), "no header timeout once the head is complete: " + events);
        channel.finishAndReleaseAll();
    }

    @Test
    void betweenRequestsTheClockStartsAtTheFirstByteOfTheNextHead() {
        EmbeddedChannel channel = connection(60_000);
        send(channel);
        clock.headReceived();
        clock.awaitNext(); // the response went out
        advance(channel, 5 * HEAD_MILLIS + 300);
        assertTrue(events.isEmpty(), "the clock does not run before the next byte: " + events);
        send(channel);
        advance(channel, HEAD_MILLIS - 1);
        assertTrue(events.isEmpty(), "not before a whole header timeout from the first byte: " + events);
        advance(channel, 1);
        assertEquals(List.of(HeadTimeout.EVENT), events, "exactly at it, though the check was pending before");
        channel.finishAndReleaseAll();
    }

    @Test
    void anIdleTimeoutShorterThanTheHeaderTimeoutClosesASilentConnectionWithoutAddingAnything() {
        EmbeddedChannel channel = connection(300);
        advance(channel, 299);
        assertTrue(channel.isActive());
        advance(channel, 1);
        assertFalse(channel.isActive(), "closed at the idle timeout");
        assertEquals(0, installs);
        assertTrue(events.isEmpty());
        channel.finishAndReleaseAll();
    }

    @Test
    void afterTheFirstBytesTheIdleEventGoesToTheAddedHandlers() {
        EmbeddedChannel channel = connection(3_000);
        send(channel);
        clock.headReceived();
        advance(channel, 2_999);
        assertTrue(events.isEmpty());
        advance(channel, 1);
        assertEquals(List.of(IdleStateEvent.ALL_IDLE_STATE_EVENT), events);
        channel.finishAndReleaseAll();
    }

    @Test
    void drainClosesAConnectionThatSentNothing() {
        EmbeddedChannel channel = connection(60_000);
        clock.drain();
        assertFalse(channel.isActive());
        assertEquals(0, installs);
        channel.finishAndReleaseAll();
    }

    @Test
    void refusesAHeaderTimeoutThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new HeadTimeout.Settings(0, 1, clock -> { }));
    }
}

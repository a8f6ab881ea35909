package dev.lb.runtime.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the bytes read on one channel of a {@link Relay} to the other, with backpressure: when the other side stops
 * being writable (its outbound buffer passed the high-water mark) this side stops reading, and it resumes when the
 * other side drains below the low-water mark. One instance per channel.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

    private final Relay relay;

    RelayHandler(Relay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel peer = relay.peerOf(ctx.channel());
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            relay.relayed(ctx.channel(), bytes.readableBytes());
        }
        // A failed write fires exceptionCaught on the peer's pipeline, which closes both.
        peer.write(msg, peer.voidPromise());
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        relay.peerOf(ctx.channel()).flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel peer = relay.peerOf(ctx.channel());
        if (ctx.channel().isWritable() && !relay.isInputDone(peer)) {
            // This side drained: let the peer, which we stopped, read again.
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            relay.inputEnded(ctx.channel());
        } else if (evt instanceof IdleStateEvent) {
            log.debug("closing idle connection {} <-> {}", relay.client().remoteAddress(),
                    relay.backend().remoteAddress());
            relay.closeBoth();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        relay.closed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("relay {} <-> {} failed: {}", relay.client().remoteAddress(), relay.backend().remoteAddress(),
                cause.toString());
        relay.closeBoth();
    }
}

package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * After a successful upgrade ({@code 101 Switching Protocols}, e.g. WebSocket), relays raw bytes between the client
 * and the backend with backpressure, one instance per side. Until {@link #start()} it holds what it reads: the codecs
 * being removed hand over the bytes they had already read past the HTTP head.
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private final List<ByteBuf> held = new ArrayList<>(0);
    private ChannelHandlerContext ctx;
    private boolean started;

    TunnelHandler(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Sends what was held to the peer and starts relaying. */
    void start() {
        started = true;
        for (ByteBuf buf : held) {
            peer.write(buf, peer.voidPromise());
        }
        held.clear();
        peer.flush();
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg); // the empty end of the 101's HTTP message
            return;
        }
        if (!started) {
            held.add(buf);
            return;
        }
        if (!peer.isActive()) {
            buf.release();
            return;
        }
        peer.write(buf, peer.voidPromise());
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && started) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            peer.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        held.forEach(ByteBuf::release);
        held.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        peer.close();
    }
}

package dev.lb.runtime.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a backend connection: hands what the backend sends to the {@link ClientHandler} whose exchange
 * the connection currently carries, and closes the connection when it is idle in the pool and the backend speaks out
 * of turn, closes, or stays silent past the idle timeout.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private final BackendConnections owner;
    private final BackendResponseDecoder decoder;
    private ClientHandler exchange;

    BackendHandler(BackendConnections owner, BackendResponseDecoder decoder) {
        this.owner = owner;
        this.decoder = decoder;
    }

    /**
     * The connection now carries {@code client}'s exchange, whose request is a HEAD when {@code head} and whose
     * response the client side takes as bytes when {@code relayable} (see {@link BackendResponseDecoder#expect}).
     */
    void attach(ClientHandler client, boolean head, boolean relayable) {
        this.exchange = client;
        decoder.expect(head, relayable);
    }

    void detach() {
        this.exchange = null;
        decoder.exchangeOver();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientHandler client = exchange;
        if (client == null) {
            // Nothing was asked on an idle connection: whatever this is, the connection cannot be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        client.backendRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ClientHandler client = exchange;
        if (client != null) {
            client.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ClientHandler client = exchange;
        if (client != null) {
            client.backendWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ClientHandler client = exchange;
            if (client == null) {
                ctx.close();
            } else {
                client.backendIdle();
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ClientHandler client = exchange;
        exchange = null;
        if (client == null) {
            owner.closedWhileIdle(ctx.channel());
        } else {
            client.backendClosed(null);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientHandler client = exchange;
        exchange = null;
        ctx.close();
        if (client != null) {
            client.backendClosed(cause);
        }
    }
}

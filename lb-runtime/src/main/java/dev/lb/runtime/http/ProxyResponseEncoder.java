package dev.lb.runtime.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, told when the response answers a {@code HEAD} request so that it writes no body framing
 * (a chunked HEAD response has no terminating chunk). The proxy handles one request at a time per connection, so a
 * flag set before each response head is enough. A {@link Relayed} response is already bytes for the client: it passes
 * as it is.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {

    private boolean headResponse;

    void headResponse(boolean head) {
        this.headResponse = head;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (!Relayed.passOn(ctx, msg, promise)) {
            super.write(ctx, msg, promise);
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return headResponse || super.isContentAlwaysEmpty(msg);
    }
}

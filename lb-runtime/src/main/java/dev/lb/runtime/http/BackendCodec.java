package dev.lb.runtime.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;

/**
 * A backend connection's HTTP/1.1 codec: a {@link BackendResponseDecoder}, and Netty's request encoder, past which a
 * {@link Relayed} request head goes as it is.
 */
final class BackendCodec extends CombinedChannelDuplexHandler<BackendResponseDecoder, HttpRequestEncoder> {

    BackendCodec() {
        super(new BackendResponseDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(8 * 1024)
                        .setMaxHeaderSize(64 * 1024)
                        .setMaxChunkSize(16 * 1024)),
                new HttpRequestEncoder() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                        if (!Relayed.passOn(ctx, msg, promise)) {
                            super.write(ctx, msg, promise);
                        }
                    }
                });
    }

    BackendResponseDecoder decoder() {
        return inboundHandler();
    }
}

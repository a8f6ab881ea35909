package dev.lb.runtime.http;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;

/** A backend connection's HTTP/1.1 codec: Netty's request encoder and a {@link BackendResponseDecoder}. */
final class BackendCodec extends CombinedChannelDuplexHandler<BackendResponseDecoder, HttpRequestEncoder> {

    BackendCodec() {
        super(new BackendResponseDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(8 * 1024)
                        .setMaxHeaderSize(64 * 1024)
                        .setMaxChunkSize(16 * 1024)),
                new HttpRequestEncoder());
    }

    BackendResponseDecoder decoder() {
        return inboundHandler();
    }
}

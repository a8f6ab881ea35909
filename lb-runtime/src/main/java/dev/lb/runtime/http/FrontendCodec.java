package dev.lb.runtime.http;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;

/** The client side's HTTP/1.1 codec: a {@link StrictRequestDecoder} and a {@link ProxyResponseEncoder}. */
final class FrontendCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, ProxyResponseEncoder> {

    FrontendCodec(int maxRequestLine, int maxHeaderSize) {
        super(new StrictRequestDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(maxRequestLine)
                        .setMaxHeaderSize(maxHeaderSize)
                        .setMaxChunkSize(16 * 1024)),
                new ProxyResponseEncoder());
    }

    ProxyResponseEncoder encoder() {
        return outboundHandler();
    }
}

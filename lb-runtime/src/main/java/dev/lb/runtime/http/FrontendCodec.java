package dev.lb.runtime.http;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;

/** The client side's HTTP/1.1 codec: a {@link StrictRequestDecoder} and a {@link ProxyResponseEncoder}. */
final class FrontendCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, ProxyResponseEncoder> {

    /** {@code forwarded}: whether the proxy adds the forwarding headers (see {@link RequestHeadScanner}). */
    FrontendCodec(int maxRequestLine, int maxHeaderSize, boolean forwarded) {
        super(new StrictRequestDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(maxRequestLine)
                        .setMaxHeaderSize(maxHeaderSize)
                        .setMaxChunkSize(16 * 1024),
                        new RequestHeadScanner(maxRequestLine, maxHeaderSize, forwarded)),
                new ProxyResponseEncoder());
    }

    ProxyResponseEncoder encoder() {
        return outboundHandler();
    }
}

package dev.lb.runtime.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, made strict where a proxy must be: a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is a request-smuggling attempt (two servers may frame it differently), so it is made an
 * invalid message rather than repaired by dropping {@code Content-Length} as Netty does by default.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        // Thrown while the head is read, so the decoder turns it into a message with a failed decoder result.
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding are present");
    }
}

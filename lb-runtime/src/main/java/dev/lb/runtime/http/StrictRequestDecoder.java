package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.util.List;

/**
 * The client side's request decoder. A request whose head {@link RequestHeadScanner} finds relayable (the common
 * bodiless request) comes out as a {@link RelayedRequest}, its head kept as bytes; any other is decoded by Netty's
 * decoder, made strict where a proxy must be: a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is a request-smuggling attempt (two servers may frame it differently), so it is made an
 * invalid message rather than repaired by dropping {@code Content-Length} as Netty does by default. Which way a
 * request goes is decided at its first byte, so the two never mix within one request.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    private final RequestHeadScanner scanner;

    StrictRequestDecoder(HttpDecoderConfig config, RequestHeadScanner scanner) {
        super(config);
        this.scanner = scanner;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        switch (scanner.next(in)) {
            case RELAY -> out.add(scanner.take(in));
            case NEED_MORE -> {
                // wait for the rest of the head
            }
            case DECODE -> {
                int before = out.size();
                super.decode(ctx, in, out);
                scanner.decoded(out, before);
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        scanner.inputEnded();
        super.decodeLast(ctx, in, out);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        // Thrown while the head is read, so the decoder turns it into a message with a failed decoder result.
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding are present");
    }
}

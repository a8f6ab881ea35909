package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.charset.StandardCharsets;

/**
 * Bytes already in HTTP/1.1 wire form for the next hop: a relayed head or body (see {@link HeadScanner}). The
 * encoders on both sides ({@link ProxyResponseEncoder}, {@link BackendCodec}) write them as they are, and stay ready
 * for the next message they do encode.
 */
class Relayed extends DefaultByteBufHolder {

    /** A line end; a head ends with an empty line, one more of these. */
    static final byte[] CRLF = {'\r', '\n'};
    /** This proxy's {@code Via} line for what it forwards over HTTP/1.1. */
    static final byte[] VIA_LINE = ("via: " + HeaderRewriter.VIA_1_1 + "\r\n").getBytes(StandardCharsets.US_ASCII);

    Relayed(ByteBuf bytes) {
        super(bytes);
    }

    /** For an encoder's write: writes {@code msg}'s bytes on and says true when it is relayed; else false. */
    static boolean passOn(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Relayed relayed) {
            ctx.write(relayed.content(), promise);
            return true;
        }
        return false;
    }
}

package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.List;

/**
 * The decoder of a backend connection. A response whose head {@link ResponseHeadScanner} finds relayable comes out
 * as a {@link RelayedResponse.Head} and body pieces counted off its {@code Content-Length}; any other response is
 * decoded by Netty's decoder, as HTTP objects. Which way a response goes is decided at its first byte, so the two
 * never mix within one response.
 *
 * <p>The proxy tells the decoder about each request before sending it ({@link #expect}): the response to a HEAD has
 * no body whatever its head says, and only the client side can say whether a response may be relayed as bytes. It
 * also says when the exchange is over ({@link #exchangeOver}): whatever the backend sends then, unasked, closes the
 * connection, so that a pooled connection never holds stray bytes that would be read as the next response.
 */
final class BackendResponseDecoder extends HttpResponseDecoder {

    private final ResponseHeadScanner scanner = new ResponseHeadScanner();
    /** A request was sent and its response is not over yet. */
    private boolean awaiting;
    private boolean head;
    private boolean relayable;
    /** Body bytes of a relayed response still to come. */
    private long bodyLeft;

    BackendResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    /**
     * Describes the request about to be sent: {@code head} when its method is HEAD, {@code relayable} when the
     * client side can take its response as bytes.
     */
    void expect(boolean head, boolean relayable) {
        this.awaiting = true;
        this.head = head;
        this.relayable = relayable && !head;
    }

    /** The exchange no longer uses the connection: it is idle in the pool, or about to close. */
    void exchangeOver() {
        awaiting = false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (!awaiting) {
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (bodyLeft > 0) {
            relayBody(in, out);
            return;
        }
        switch (relayable ? scanner.next(in) : HeadScanner.Verdict.DECODE) {
            case RELAY -> relayHead(ctx, in, out);
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

    private void relayHead(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        long length = scanner.contentLength();
        boolean small = length <= RelayedResponse.Head.WHOLE_BODY_LIMIT;
        ByteBuf head = scanner.takeHead(in, ctx.alloc(), RelayedResponse.Head.SPARE + (small ? (int) length : 0));
        if (small && in.readableBytes() >= length) {
            // The whole (small) body came with the head: both go to the client in one write.
            out.add(new RelayedResponse.Head(head, scanner.status(), length, scanner.keepAlive(),
                    in.readRetainedSlice((int) length)));
            return;
        }
        out.add(new RelayedResponse.Head(head, scanner.status(), length, scanner.keepAlive(), null));
        bodyLeft = length;
        relayBody(in, out);
    }

    private void relayBody(ByteBuf in, List<Object> out) {
        int readable = in.readableBytes();
        if (readable == 0) {
            return;
        }
        int take = (int) Math.min(readable, bodyLeft);
        bodyLeft -= take;
        out.add(new RelayedResponse.Body(in.readRetainedSlice(take), bodyLeft == 0));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        scanner.inputEnded();
        super.decodeLast(ctx, in, out);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        if (head && message instanceof HttpResponse response
                && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            return true;
        }
        return super.isContentAlwaysEmpty(message);
    }
}

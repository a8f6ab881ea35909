package dev.lb.runtime.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** The responses the proxy makes itself: a status and a one-line plain-text body naming it, e.g. "502 Bad Gateway". */
final class ErrorResponses {

    private ErrorResponses() {
    }

    /** A complete response for {@code status}; with {@code close}, it says {@code Connection: close}. */
    static FullHttpResponse of(ByteBufAllocator alloc, HttpResponseStatus status, boolean close) {
        ByteBuf body = ByteBufUtil.writeAscii(alloc, status.code() + " " + status.reasonPhrase() + "\n");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}

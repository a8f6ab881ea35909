package dev.lb.runtime.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bearer token, then answers one admin request on a virtual thread (a reload may take a while) and writes
 * the answer back. The token is compared in constant time and never logged or echoed.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminRoutes routes;
    private final byte[] expected;
    private final ExecutorService work;

    AdminHandler(AdminRoutes routes, String token, ExecutorService work) {
        this.routes = routes;
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.work = work;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, AdminResponse.error(400, "malformed HTTP request"), false);
            return;
        }
        String method = request.method().name();
        String uri = request.uri();
        if (!authorized(request) && !routes.isPublic(method, uri)) {
            log.info("admin: refused {} {} from {}: missing or wrong bearer token", method, AdminRoutes.loggablePath(uri),
                    ctx.channel().remoteAddress());
            write(ctx, AdminResponse.error(401, "missing or wrong bearer token: send the header"
                    + " \"Authorization: Bearer <token>\" with the token configured in admin.token or admin.token-file")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"lb-admin\""), keepAlive);
            return;
        }
        byte[] body = new byte[request.content().readableBytes()];
        request.content().readBytes(body);
        try {
            work.execute(() -> {
                AdminResponse response;
                try {
                    response = routes.handle(method, uri, body);
                } catch (RuntimeException e) {
                    log.warn("admin: {} {} failed: {}", method, AdminRoutes.loggablePath(uri), e.toString(), e);
                    response = AdminResponse.error(500, "internal error: " + e.getClass().getSimpleName());
                }
                write(ctx, response, keepAlive);
            });
        } catch (RejectedExecutionException e) {
            write(ctx, AdminResponse.error(503, "the admin listener is stopping"), false);
        }
    }

    private boolean authorized(FullHttpRequest request) {
        if (expected == null) {
            return true;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        answer.headers().forEach((name, value) -> response.headers().set(name, value));
        HttpUtil.setContentLength(response, answer.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

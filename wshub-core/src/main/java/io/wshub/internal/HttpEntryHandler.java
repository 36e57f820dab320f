package io.wshub.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.wshub.http.HttpCall;
import io.wshub.http.HttpException;
import io.wshub.http.HttpReply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The first stop of every HTTP request: an upgrade on a WebSocket path goes to the
 * {@link Upgrader}; anything else is matched against the HTTP routes and answered.
 * Reads pause while a route's answer is pending, so pipelined requests are answered in order.
 */
final class HttpEntryHandler extends ChannelInboundHandlerAdapter {
    private final RealHub hub;

    HttpEntryHandler(RealHub hub) {
        this.hub = hub;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!req.decoderResult().isSuccess()) {
            Throwable cause = req.decoderResult().cause();
            req.release();
            RealHub.log.debug("{}: bad HTTP request: {}", ctx.channel().remoteAddress(), String.valueOf(cause));
            respond(ctx, cause instanceof TooLongHttpLineException ? HttpReply.error(414, "request line over " + HubInitializer.MAX_HEAD_LINE + " bytes")
                    : cause instanceof TooLongHttpHeaderException ? HttpReply.error(431, "request headers over " + HubInitializer.MAX_HEAD_LINE + " bytes")
                    : HttpReply.error(400, "malformed HTTP request"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        try { // decoding is lazy: do it now, so a bad %-escape is a 400 and not a leaked request
            uri.path();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            req.release();
            respond(ctx, HttpReply.error(400, "malformed URL: " + e.getMessage()), false);
            return;
        }
        if (hub.config.paths().contains(uri.path())) {
            hub.upgrader.upgrade(ctx, req, uri); // takes ownership of req
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (Cors.isPreflight(req)) {
            boolean staticFile = hub.http.match("GET", uri.rawPath()).route() instanceof StaticFiles;
            HttpHeaders allowed = new DefaultHttpHeaders();
            if (hub.cors.preflight(origin, uri.path(), staticFile, allowed)) {
                req.release();
                respond(ctx, new HttpReply(204, HttpReply.JSON, new byte[0]), keepAlive, false, allowed);
                return;
            }
        }
        HttpCall call;
        HttpRouter.Match match;
        try {
            match = hub.http.match(req.method().name(), uri.rawPath());
            call = new HttpCall(req.method().name(), uri.path(), uri.parameters(), req.headers()::get,
                    ByteBufUtil.getBytes(req.content()), Upgrader.remoteIp(ctx.channel()), match.params());
        } finally {
            req.release();
        }
        HttpHeaders cors = hub.cors.headers(origin, uri.path(), match.route() instanceof StaticFiles);
        if (match.route() == null) {
            respond(ctx, match.methodNotAllowed() ? HttpReply.error(405, "method not allowed")
                    : HttpReply.error(404, "not found: " + uri.path()), keepAlive, false, cors);
            return;
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        CompletableFuture<HttpReply> answer = run(match, call).toCompletableFuture();
        if (answer.isDone()) { // most routes (a send on one node) answer at once: no pause, no re-arming of reads
            answer.whenComplete((reply, error) -> respond(ctx, reply != null ? reply : failure(error, call), keepAlive, head, cors));
            return;
        }
        ctx.channel().config().setAutoRead(false);
        answer.whenComplete((reply, error) -> {
            respond(ctx, reply != null ? reply : failure(error, call), keepAlive, head, cors);
            ctx.channel().config().setAutoRead(true);
        });
    }

    private static CompletionStage<HttpReply> run(HttpRouter.Match match, HttpCall call) {
        try {
            return match.route().handle(call);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static HttpReply failure(Throwable error, HttpCall call) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpException e) {
            return HttpReply.error(e.status(), e.getMessage());
        }
        RealHub.log.warn("{} {} failed: {}", call.method(), call.path(), cause.toString());
        return HttpReply.error(500, "internal error");
    }

    static void respond(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive) {
        respond(ctx, reply, keepAlive, false);
    }

    /** {@code headers}: extra name, value pairs. */
    static void respond(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive, boolean headOnly, String... headers) {
        respond(ctx, reply, keepAlive, headOnly, EmptyHttpHeaders.INSTANCE, headers);
    }

    /** {@code extra}: headers added to the answer (CORS); {@code headers}: extra name, value pairs. */
    static void respond(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive, boolean headOnly, HttpHeaders extra,
                        String... headers) {
        var written = ctx.writeAndFlush(response(reply, keepAlive, headOnly, extra, headers));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The response carrying {@code reply}; {@code headers}: extra name, value pairs. */
    static FullHttpResponse response(HttpReply reply, boolean keepAlive, boolean headOnly, String... headers) {
        return response(reply, keepAlive, headOnly, EmptyHttpHeaders.INSTANCE, headers);
    }

    /** The same with {@code extra} headers added (CORS). */
    static FullHttpResponse response(HttpReply reply, boolean keepAlive, boolean headOnly, HttpHeaders extra, String... headers) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                headOnly ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().add(extra);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            res.headers().set(headers[i], headers[i + 1]);
        }
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        return res;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RealHub.log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

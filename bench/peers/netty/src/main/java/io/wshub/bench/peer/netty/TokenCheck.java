package io.wshub.bench.peer.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.wshub.bench.peer.Hs256;
import java.nio.charset.StandardCharsets;

/** Answers 401 before any upgrade unless {@code ?token=} is a valid HS256 JWT; then steps aside. */
final class TokenCheck extends ChannelInboundHandlerAdapter {
    static final AttributeKey<String> USER = AttributeKey.valueOf("user");
    private static final byte[] UNAUTHORIZED = "{\"code\":401,\"message\":\"unauthorized\"}"
            .getBytes(StandardCharsets.US_ASCII);

    private final Hs256 jwt;

    TokenCheck(Hs256 jwt) {
        this.jwt = jwt;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        FullHttpRequest request = (FullHttpRequest) msg;
        String user = jwt.verify(Hs256.queryParam(request.uri(), "token"));
        if (user == null) {
            request.release();
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.UNAUTHORIZED, Unpooled.wrappedBuffer(UNAUTHORIZED));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, UNAUTHORIZED.length);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().attr(USER).set(user);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(request);
    }
}

package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Keeps the bytes a client sends behind its upgrade request (often in the same TCP segment)
 * while the upgrade is checked, and hands them to the WebSocket frame decoder once the
 * pipeline speaks WebSocket. Without it the HTTP decoder would read them as the start of a
 * second HTTP request, and a client's first frames would be lost.
 *
 * <p>{@link #install} takes the HTTP decoder out at once, so a refused upgrade ends the
 * connection (its answer says {@code Connection: close}). Event loop only.
 */
final class EarlyFrames extends ChannelInboundHandlerAdapter {
    static final String NAME = "ws-early-frames";

    /** More than this before the upgrade is decided is not a client waiting for a 101. */
    private final int limit;
    private CompositeByteBuf held;

    private EarlyFrames(int limit) {
        this.limit = limit;
    }

    /** Stops HTTP decoding on {@code ctx}'s channel; what follows the request is held from now on. */
    static void install(ChannelHandlerContext ctx, int limit) {
        ctx.channel().config().setAutoRead(false);
        ctx.pipeline().addAfter(ctx.pipeline().context(HttpServerCodec.class).name(), NAME, new EarlyFrames(limit));
        // Forwards what the decoder had buffered (the early frames) to this handler.
        ctx.pipeline().get(HttpServerCodec.class).removeInboundHandler();
    }

    /** The WebSocket decoder is in place: feed it what was held, from the head of the pipeline. */
    static void release(ChannelPipeline pipeline) {
        EarlyFrames gate = pipeline.get(EarlyFrames.class);
        if (gate == null) {
            return;
        }
        ByteBuf bytes = gate.held;
        gate.held = null;
        pipeline.remove(gate);
        pipeline.channel().config().setAutoRead(true);
        if (bytes != null) {
            pipeline.fireChannelRead(bytes);
            pipeline.fireChannelReadComplete();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (held == null) {
            held = ctx.alloc().compositeBuffer();
        }
        held.addComponent(true, buf);
        if (held.readableBytes() > limit) {
            RealHub.log.debug("{}: {} bytes sent before the upgrade was answered; closing", ctx.channel().remoteAddress(), held.readableBytes());
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}

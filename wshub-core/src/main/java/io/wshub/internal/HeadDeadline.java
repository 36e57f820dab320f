package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The handshake timeout (docs/limits.md): a request head must be complete within a fixed time
 * of its first byte. Unlike a read timeout, a client trickling one byte at a time cannot
 * stretch it. Two handlers share the clock: {@link #bytes()} sits before the HTTP decoder
 * and starts it on the first byte of a request; {@link #heads()} sits after it and stops it
 * when the head is decoded. Both are removed on upgrade. Event loop only.
 */
final class HeadDeadline {
    static final String BYTES = "http-head-deadline-bytes";
    static final String HEADS = "http-head-deadline-heads";

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;
    /** Between requests: the next byte starts a new head. */
    private boolean idle = true;

    HeadDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (idle && msg instanceof ByteBuf b && b.isReadable()) {
                    idle = false;
                    timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel();
            }
        };
    }

    ChannelInboundHandlerAdapter heads() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    cancel();
                }
                if (msg instanceof LastHttpContent) {
                    idle = true;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        RealHub.log.debug("{}: request head not complete within {} ms; closing", ctx.channel().remoteAddress(), timeoutMillis);
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

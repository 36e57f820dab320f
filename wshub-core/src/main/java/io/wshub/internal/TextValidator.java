package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Netty's UTF-8 check of text messages (RFC 6455 §8.1; invalid UTF-8 closes with 1007), with an
 * ASCII fast path: a whole text message in one frame whose bytes are all below 0x80 is valid
 * UTF-8 by definition, and eight bytes are checked at a time. Everything else (non-ASCII text,
 * fragmented messages and their continuations) goes through Netty's validator unchanged.
 *
 * <p>Why: JSON requests are nearly always ASCII, and Netty's byte-at-a-time state machine was
 * 6% of the server's CPU on the echo benchmark (docs/BENCHMARKS.md). Confined to the channel's
 * event loop, like the validator it extends.
 */
final class TextValidator extends Utf8FrameValidator {
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** A fragmented data message is in progress: its frames need the validator's state. */
    private boolean fragmented;

    TextValidator() {
        super(false); // 1007 is sent by FrameHandler's close path, as for every protocol error
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!fragmented && msg instanceof TextWebSocketFrame text && text.isFinalFragment() && isAscii(text.content())) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            fragmented = !((WebSocketFrame) msg).isFinalFragment(); // control frames may come between fragments
        }
        super.channelRead(ctx, msg);
    }

    static boolean isAscii(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if ((buf.getLong(i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (buf.getByte(i) < 0) {
                return false;
            }
        }
        return true;
    }
}

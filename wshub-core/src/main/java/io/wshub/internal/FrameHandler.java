package io.wshub.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;

import java.io.IOException;

/**
 * The last handler of an upgraded channel: every frame counts as life, text goes to the
 * connection's {@link Lane}, control frames are answered here, and the end of the channel
 * takes the connection out of the hub.
 */
final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final RealConnection conn;

    FrameHandler(RealConnection conn) {
        this.conn = conn;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        conn.touch();
        if (frame instanceof TextWebSocketFrame) {
            conn.lane.onText(frame.content());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode() < 0 ? Protocol.CLOSE_NORMAL : close.statusCode();
            if (conn.markClosed(code, close.reasonText())) {
                // Echo the client's close, then end the TCP connection (RFC 6455 §5.5.1).
                ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(f -> ctx.close());
            } else {
                ctx.close(); // the answer to our own close frame
            }
        } else if (frame instanceof BinaryWebSocketFrame) {
            conn.write(conn.hub.encode(ctx.alloc(), Outbound.error(Protocol.ERROR_EVENT, null,
                    Protocol.BAD_REQUEST, "binary frames are not supported; send JSON text")), Protocol.ERROR_EVENT);
        }
        // Pong frames only count as life.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        conn.hub.disconnected(conn);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || isTooBig(cause)) {
            int limit = conn.hub.config.maxMessageBytes();
            conn.write(conn.hub.encode(ctx.alloc(), Outbound.error(Protocol.ERROR_EVENT, null,
                    Protocol.TOO_LARGE, "message over " + limit + " bytes")), Protocol.ERROR_EVENT);
            conn.close(Protocol.CLOSE_TOO_BIG, "message over " + limit + " bytes");
        } else if (cause instanceof CorruptedWebSocketFrameException c) {
            conn.close(c.closeStatus().code(), c.getMessage());
        } else if (cause instanceof CorruptedFrameException || cause instanceof DecompressionException) {
            conn.close(WebSocketCloseStatus.PROTOCOL_ERROR.code(), cause.getMessage());
        } else if (cause instanceof IOException) {
            RealHub.log.debug("{}: {}", conn, cause.toString()); // resets and broken pipes are the network's doing
            ctx.close();
        } else {
            RealHub.log.warn("{}: closing after an unexpected error: {}", conn, cause.toString());
            conn.hub.errored(conn, cause);
            conn.close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code(), "internal error");
        }
    }

    private static boolean isTooBig(Throwable cause) {
        return cause instanceof CorruptedWebSocketFrameException c
                && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                // permessage-deflate: the message inflates past the limit (Netty's maxAllocation)
                || cause instanceof DecompressionException d && String.valueOf(d.getMessage()).contains("maximum size");
    }
}

package io.wshub.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.wshub.FrameType;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.Protocol;

import java.io.IOException;

/**
 * The last handler of an upgraded channel: every frame counts as life, text (and binary, when
 * the codec takes it) goes to the connection's {@link Lane}, control frames are answered here, and the end of the channel
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
            conn.lane.onMessage(frame.content(), FrameType.TEXT);
        } else if (frame instanceof BinaryWebSocketFrame && conn.hub.config.codec().acceptsBinary()) {
            conn.lane.onMessage(frame.content(), FrameType.BINARY); // wsrv requests, raw frames
        } else if (frame instanceof PingWebSocketFrame) {
            // A client that pings without reading the pongs must not grow our outbound buffer (each
            // pong pins a slice of a read buffer): while the socket is not writable, pings go
            // unanswered, which RFC 6455 §5.5.3 allows (only the latest ping needs an answer).
            if (ctx.channel().isWritable()) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().copy()), ctx.voidPromise());
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode() < 0 ? Protocol.CLOSE_NORMAL : close.statusCode();
            if (Protocol.closeCodeProblem(code) != null) { // Netty lets codes of 5000 and up through
                RealHub.log.debug("{}: closing with 1002: client sent close code {}", conn, code);
                conn.close(Protocol.CLOSE_PROTOCOL_ERROR, "protocol error");
                return;
            }
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
        } else if (cause instanceof CorruptedFrameException) {
            // The client broke RFC 6455: its doing, so DEBUG; the close reason is ours, short and stable.
            int code = cause instanceof CorruptedWebSocketFrameException c ? c.closeStatus().code() : Protocol.CLOSE_PROTOCOL_ERROR;
            RealHub.log.debug("{}: closing with {}: {}", conn, code, cause.getMessage());
            conn.close(code, code == Protocol.CLOSE_INVALID_PAYLOAD ? "invalid UTF-8" : "protocol error");
        } else if (cause instanceof DecompressionException) {
            // A permessage-deflate message that does not inflate (docs/protocol.md §1.9): the client's doing too.
            RealHub.log.debug("{}: closing with {}: {}", conn, Protocol.CLOSE_PROTOCOL_ERROR, cause.getMessage());
            conn.close(Protocol.CLOSE_PROTOCOL_ERROR, "protocol error");
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // Resets, broken pipes and a client gone in the middle of a message: the network's or the client's doing.
            RealHub.log.debug("{}: {}", conn, cause.toString());
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

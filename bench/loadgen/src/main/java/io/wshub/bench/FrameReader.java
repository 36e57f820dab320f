package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * The receive side of a bench connection once its WebSocket handshake is done (it takes the
 * place of Netty's frame decoder, see {@link Client#installFrameReader}): parses the server's
 * frames straight out of each inbound buffer, in a loop, and hands every text payload to the
 * connection's protocol in place.
 *
 * <p>Why: in a fan-out one core of load generator receives one small frame per subscriber per
 * broadcast, hundreds of thousands a second. Netty's decoder path (a frame object and a list per
 * frame, two more pipeline hops, reference counting) cost more than the server's send did, so
 * the bench measured itself. Here a frame costs a header parse and the protocol's scan of the
 * payload: no object per frame, no copy, no UTF-8 validation (the protocols only look for ASCII
 * fields), no String.
 *
 * <p>Server frames are unmasked (RFC 6455 §5.1) and never use extensions here: a masked frame,
 * RSV bits, an unknown opcode or a frame over {@link #MAX_FRAME} is a protocol error, reported
 * through the pipeline's exception path like Netty's decoder does. Close frames close the
 * connection, pings are answered, pongs and binary messages are ignored (as before). A frame
 * split over reads waits in {@code partial}; a fragmented text message is joined (no bench
 * server fragments, so that path is allowed to copy). Confined to the connection's event loop.
 */
final class FrameReader extends ChannelInboundHandlerAdapter {
    /** Frames up to 1 MiB: far above any bench message, so a size error means a bug. */
    static final int MAX_FRAME = 1 << 20;
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    private final Client client;
    /** The head of a frame whose tail has not arrived yet, or null. */
    private ByteBuf partial;
    /** A fragmented text message being joined, or null. */
    private ByteBuf fragments;
    /** Set by a close frame or a protocol error: what follows is dropped. */
    private boolean done;

    FrameReader(Client client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (partial != null) {
            ByteBuf joined = partial.writeBytes(in);
            in.release();
            partial = null;
            in = joined;
        }
        try {
            readFrames(ctx, in);
            if (in.isReadable() && !done) {
                partial = ctx.alloc().buffer(Math.max(in.readableBytes() * 2, 1024)).writeBytes(in);
            }
        } finally {
            in.release();
        }
    }

    /** Consumes every complete frame in {@code in}; leaves its reader index at the first incomplete one. */
    private void readFrames(ChannelHandlerContext ctx, ByteBuf in) {
        int end = in.writerIndex();
        int at = in.readerIndex();
        while (!done && end - at >= 2) {
            int b0 = in.getByte(at);
            int b1 = in.getByte(at + 1);
            long length = b1 & 0x7F;
            int head = 2;
            if (length == 126) {
                head = 4;
                if (end - at < head) {
                    break;
                }
                length = in.getUnsignedShort(at + 2);
            } else if (length == 127) {
                head = 10;
                if (end - at < head) {
                    break;
                }
                length = in.getLong(at + 2);
            }
            if ((b1 & 0x80) != 0 || (b0 & 0x70) != 0 || length < 0 || length > MAX_FRAME) {
                fail(ctx, "masked, extended or oversized server frame");
                break;
            }
            int payloadEnd = at + head + (int) length;
            if (payloadEnd > end) {
                break;
            }
            // The payload as the readable bytes of the inbound buffer itself: the protocols scan
            // readerIndex..writerIndex and keep nothing, so no slice object is needed.
            in.setIndex(at + head, payloadEnd);
            onFrame(ctx, (b0 & 0x80) != 0, b0 & 0x0F, in);
            in.writerIndex(end);
            at = payloadEnd;
        }
        in.setIndex(at, end);
    }

    private void onFrame(ChannelHandlerContext ctx, boolean fin, int opcode, ByteBuf payload) {
        switch (opcode) {
            case OP_TEXT:
                if (fin) {
                    client.onText(payload);
                } else {
                    if (fragments != null) { // a new message before the last one ended: drop that one
                        fragments.release();
                    }
                    fragments = ctx.alloc().buffer(payload.readableBytes() * 2).writeBytes(payload);
                }
                break;
            case OP_CONTINUATION:
                if (fragments != null) { // else the continuation of an ignored binary message
                    fragments.writeBytes(payload);
                    if (fin) {
                        ByteBuf whole = fragments;
                        fragments = null;
                        try {
                            client.onText(whole);
                        } finally {
                            whole.release();
                        }
                    } else if (fragments.readableBytes() > MAX_FRAME) {
                        fail(ctx, "fragmented message over " + MAX_FRAME + " bytes");
                    }
                }
                break;
            case OP_BINARY:
            case OP_PONG:
                break;
            case OP_PING:
                // Through the channel, not ctx: the frame encoder sits after this handler.
                ctx.channel().writeAndFlush(new PongWebSocketFrame(payload.retainedSlice()));
                break;
            case OP_CLOSE:
                done = true;
                ctx.close();
                break;
            default:
                fail(ctx, "unknown opcode " + opcode);
        }
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        done = true;
        ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, reason));
    }

    /**
     * The end of a read: flushes what the protocol wrote in answer (echo requests, pongs) and stops
     * here. Nothing after this handler needs the event, and walking the rest of the pipeline for
     * each of thousands of sockets per broadcast is a cost on every read.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        client.flush();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}

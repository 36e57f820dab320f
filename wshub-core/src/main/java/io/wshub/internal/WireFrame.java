package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wshub.FrameType;
import io.wshub.protocol.Codec;
import io.wshub.protocol.Outbound;

/**
 * Server-to-client data frames built in place (RFC 6455 §5.2): the payload is written after
 * room for the largest header, and the header is filled in once the length is known. Server
 * frames are not masked, so the bytes are the same for every recipient: a broadcast shares one
 * frame, and {@link RealConnection} writes it below Netty's frame encoder, with no per-recipient
 * frame object, header buffer or copy.
 */
final class WireFrame {
    /** The FIN bit; every frame the server builds is a whole message. */
    private static final int FIN = 0x80;
    /** Opcode byte, length byte, 64-bit extended length. */
    private static final int MAX_HEADER = 10;
    /** Typical replies and pushes fit; the buffer grows for larger ones. */
    private static final int INITIAL_CAPACITY = 256;

    private WireFrame() {}

    /** A complete text frame holding {@code message}; the caller owns it. */
    static ByteBuf text(ByteBufAllocator alloc, Codec codec, Outbound message) {
        return of(alloc, FrameType.TEXT, codec, message);
    }

    /** A complete frame of {@code type} holding {@code message}; the caller owns it. */
    static ByteBuf of(ByteBufAllocator alloc, FrameType type, Codec codec, Outbound message) {
        ByteBuf buf = alloc.buffer(INITIAL_CAPACITY);
        try {
            buf.writerIndex(MAX_HEADER).readerIndex(MAX_HEADER);
            codec.encode(message, buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return finish(buf, type);
    }

    /** A complete frame of {@code type} carrying {@code payload} as it is; the caller owns it. */
    static ByteBuf of(ByteBufAllocator alloc, FrameType type, byte[] payload) {
        ByteBuf buf = alloc.buffer(MAX_HEADER + payload.length);
        buf.writerIndex(MAX_HEADER).readerIndex(MAX_HEADER);
        buf.writeBytes(payload);
        return finish(buf, type);
    }

    /** Fills in the header in front of the payload between reader and writer index. */
    private static ByteBuf finish(ByteBuf buf, FrameType type) {
        int length = buf.readableBytes();
        int start;
        if (length <= 125) {
            start = MAX_HEADER - 2;
            buf.setByte(start + 1, length);
        } else if (length <= 0xFFFF) {
            start = MAX_HEADER - 4;
            buf.setByte(start + 1, 126);
            buf.setShort(start + 2, length);
        } else {
            start = 0;
            buf.setByte(1, 127);
            buf.setLong(2, length);
        }
        buf.setByte(start, FIN | type.opcode());
        return buf.readerIndex(start);
    }
}

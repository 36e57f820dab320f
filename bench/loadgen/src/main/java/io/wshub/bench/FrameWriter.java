package io.wshub.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The send side of a bench connection: a text message becomes one masked client frame (RFC 6455
 * §5.2, §5.3) in one direct buffer, header and payload together, with a fresh non-zero mask per
 * frame as a browser would send (servers unmask every byte either way; a zero mask would let
 * some skip that work).
 *
 * <p>Why not Netty's encoder: on the echo scenario one load-generator core sends a request per
 * reply, and the encoder's frame object, list and 4-byte masking loop cost about an eighth of
 * that core, so the bench measured itself before the faster servers. Confined to the
 * connection's event loop.
 */
final class FrameWriter {
    private static final int FIN_TEXT = 0x81;
    private static final int MASKED = 0x80;
    /** xorshift32 state: cheap, never zero, different per connection. */
    private int maskState;

    FrameWriter(int seed) {
        this.maskState = seed * 0x9E3779B9 | 1;
    }

    /** The frame carrying {@code text}'s readable bytes; {@code text} is released. */
    ByteBuf text(ByteBufAllocator alloc, ByteBuf text) {
        try {
            int n = text.readableBytes();
            int mask = nextMask();
            ByteBuf frame = alloc.ioBuffer(14 + n);
            frame.writeByte(FIN_TEXT);
            if (n < 126) {
                frame.writeByte(MASKED | n);
            } else if (n <= 0xFFFF) {
                frame.writeByte(MASKED | 126).writeShort(n);
            } else {
                frame.writeByte(MASKED | 127).writeLong(n);
            }
            frame.writeInt(mask);
            long mask8 = (mask & 0xFFFFFFFFL) << 32 | (mask & 0xFFFFFFFFL);
            int from = text.readerIndex();
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                frame.writeLong(text.getLong(from + i) ^ mask8);
            }
            for (; i < n; i++) {
                frame.writeByte(text.getByte(from + i) ^ mask >>> 24 - 8 * (i & 3));
            }
            return frame;
        } finally {
            text.release();
        }
    }

    private int nextMask() {
        int x = maskState;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        maskState = x;
        return x;
    }
}

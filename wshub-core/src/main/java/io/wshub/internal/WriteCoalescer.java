package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Copies the small frames written to one WebSocket connection into one buffer until the next
 * flush, so the channel's queue gets one entry per flush instead of one per message.
 *
 * <p>Why copy: a broadcast writes the same frame to every recipient. Queued as it is, each
 * delivery costs a duplicate of the frame (its own reader index for the socket write), an
 * outbound-queue entry, two atomic updates of the queue's size and the reference stores
 * linking them, which under G1 are cards to refine; copying a hundred-odd bytes into a buffer
 * the connection already holds costs less (docs/BENCHMARKS.md, "Flush rounds that yield, and
 * copies"). Frames larger than {@link #COPY_MAX_BYTES} pass as they are, since a copy per
 * recipient would multiply their memory. Everything that is not copied (larger frames, Netty's own control frames written
 * with a promise, the flush, the close) first pushes out what is held, so the order of writes
 * is the order they were made in, whoever made them.
 *
 * <p>A flush that carries one frame queues it as it is (a duplicate of it while it is shared);
 * copies start with the second. The copy buffer grows by doubling up to {@link #SEGMENT_BYTES},
 * so its memory is at most about twice the bytes it holds. A connection's outbound limit is
 * checked against its queue, so held bytes can pass it by at most one segment; hand-offs from
 * other threads count them ({@link #held()}).
 *
 * <p>Sits right below the WebSocket frame encoder (frames arrive complete, see
 * {@link WireFrame}) and above TLS, which then encrypts one buffer per flush. Event loop only,
 * except {@link #held()}.
 */
final class WriteCoalescer extends ChannelOutboundHandlerAdapter {
    /** Pushes and replies are typically a few hundred bytes; larger ones are shared, not copied. */
    static final int COPY_MAX_BYTES = 1024;
    /**
     * One buffer holds at most this much before it is queued and the next one starts; what is
     * held and not yet queued is what can pass the outbound limit (checked on the queue alone).
     */
    static final int SEGMENT_BYTES = 4 * 1024;

    /** The one frame written since the last flush, held as it is: most flushes carry one. */
    private ByteBuf first;
    /** Copies of the frames written since the last flush, once there were two or more. */
    private ByteBuf segment;
    /**
     * Bytes held in {@link #first} or {@link #segment}; plain, because other threads only read it
     * to bound a hand-off ({@link RealConnection#reserve}), where a stale figure moves the bound
     * by one segment at most.
     */
    private int held;

    /** This handler's context, set when it is added; {@link #writeShared} enters the pipeline here. */
    private ChannelHandlerContext ctx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Bytes held and not yet queued on the channel. */
    int held() {
        return held;
    }

    /**
     * Writes a frame shared by many connections (a broadcast's), which the caller keeps owning:
     * its bytes are copied, or it is retained when held alone, so a delivery that is copied costs
     * no reference count update of the shared frame. Event loop only; in order with every write
     * that passed through the pipeline before.
     */
    void writeShared(ByteBuf frame) {
        if (frame.readableBytes() > COPY_MAX_BYTES) {
            write(ctx, frame.retainedDuplicate(), ctx.voidPromise());
        } else if (held == 0) {
            hold(frame.retain());
        } else {
            append(frame);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf frame && promise.isVoid() && frame.readableBytes() <= COPY_MAX_BYTES) {
            if (held == 0) {
                hold(frame);
            } else {
                try {
                    append(frame);
                } finally {
                    frame.release();
                }
            }
            return;
        }
        queueHeld(ctx);
        ctx.write(msg, promise);
    }

    /** Holds {@code frame} as it is, taking ownership; nothing else is held. */
    private void hold(ByteBuf frame) {
        first = frame;
        held = frame.readableBytes();
    }

    /** Copies {@code frame} in behind what is held, which is not nothing; the caller keeps {@code frame}. */
    private void append(ByteBuf frame) {
        int size = frame.readableBytes();
        if (held + size > SEGMENT_BYTES) {
            queueHeld(ctx);
            hold(frame.retain());
            return;
        }
        if (segment == null) {
            // Room for a few more like these before the first doubling; the held frame moves in.
            segment = ctx.alloc().directBuffer(Math.min(4 * (held + size), SEGMENT_BYTES), SEGMENT_BYTES);
            segment.writeBytes(first, first.readerIndex(), first.readableBytes());
            first.release();
            first = null;
        }
        segment.writeBytes(frame, frame.readerIndex(), size);
        held += size;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        queueHeld(ctx);
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // Like what is queued and unflushed on the channel, what is held is dropped by a close.
        drop();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        drop();
    }

    /** Hands what is held to the channel's queue, unflushed. */
    private void queueHeld(ChannelHandlerContext ctx) {
        if (held == 0) {
            return;
        }
        // A frame still shared with other connections (writeShared) gets its own indices; one that only
        // this handler holds (a reply, the last recipient of a broadcast) can no longer be read
        // by anyone else, and is queued as it is.
        ByteBuf out = segment != null ? segment : first.refCnt() == 1 ? first : first.duplicate();
        first = null;
        segment = null;
        held = 0;
        if (ctx.channel().isActive()) {
            ctx.write(out, ctx.voidPromise());
        } else {
            out.release(); // closed meanwhile: nothing to deliver to, and no failure to report
        }
    }

    private void drop() {
        if (first != null) {
            first.release();
        }
        if (segment != null) {
            segment.release();
        }
        first = null;
        segment = null;
        held = 0;
    }
}

package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket frame decoder with a budget per read turn, so that one connection never holds
 * its event loop for long (docs/limits.md "Fairness"). Netty's decoder turns every byte a read
 * brought into frames at once, and the loop reads a socket up to 16 times a turn: a client
 * writing 6-byte frames as fast as it can hands one turn over 100,000 messages to answer,
 * while every other connection of the loop waits.
 *
 * <p>Past {@value #FRAMES_PER_TURN} frames, {@value #BYTES_PER_TURN} bytes of payload or
 * {@value #NANOS_PER_TURN} ns of work in one turn (the clock only after
 * {@value #MIN_FRAMES_PER_TURN} frames), the decoder leaves the rest of its input where it is
 * (undecoded bytes, no objects), stops reading the socket ({@link ReadGate#TURN}) and
 * schedules itself to go on: a task scheduled from the event loop runs after the loop's next
 * round of I/O, so every other ready connection is served in between. An {@code execute}d task would not do: the loop runs the
 * tasks queued while it runs tasks in the same round, so the slices of one read would follow
 * each other with no I/O between them (measured: a polite client's p99 of 1.9 s next to a
 * flood, against 0.14-0.23 s with the scheduled task; HostileFairnessTest). Once the input is
 * used up, reading resumes. The client is still served in order, just in slices, one per loop
 * round: a flood is slowed to the loop's pace, and what it sends meanwhile waits in its TCP
 * window, which pushes back on it. A client sending fewer than 64 messages between two reads,
 * as interactive ones do, never notices.
 *
 * <p>Event loop only, like every decoder.
 */
final class FrameBudgetDecoder extends WebSocket08FrameDecoder {
    /**
     * 64 small messages (a JSON request and its reply) take well under a millisecond; past it
     * the other connections of the loop get their turn. Far above what an interactive client
     * sends between two reads, so it only ever slices floods and pipelined bursts.
     */
    static final int FRAMES_PER_TURN = 64;
    /** 64 KiB of payload, the default message limit: one largest message still fits in one turn. */
    static final int BYTES_PER_TURN = 64 * 1024;
    /**
     * 1 ms of work: decoding and everything the handlers did with the frames decoded so far
     * (parsing, replying), measured from the turn's first frame. The frame count alone let a
     * slice of 64 frames take 4 ms (p50) with paranoid leak detection and 2-3 ms (p99) without,
     * since what a frame costs depends on what it asks for; the clock bounds what the other
     * connections of the loop wait, whatever the frames are. At least
     * {@value #MIN_FRAMES_PER_TURN} frames (when sent) are decoded per turn, so slow frames
     * still make progress.
     */
    static final long NANOS_PER_TURN = 1_000_000;
    /**
     * Frames a turn decodes before the clock may end it. A frame that fans out to thousands of
     * connections spends the clock by itself; ended after one frame, a publisher's pipelined
     * broadcasts then got a loop round each, and so a flush of every subscriber each: one
     * syscall per delivery instead of one per few (measured with a WebSocket publisher keeping
     * 4 unanswered: 78k deliveries/s at 2,000 subscribers sliced per frame, 192k with four;
     * at 10,000 165k, against 64-78k in an earlier run). Four keep a slice at a few ms of fan-out
     * while the pushes of a pipelined publisher meet in one write.
     */
    static final int MIN_FRAMES_PER_TURN = 4;

    private final ReadGate reads;
    private final Runnable goOn = this::goOn;
    private ChannelHandlerContext ctx;
    private int frames;
    private int bytes;
    /** {@link System#nanoTime} at the turn's first frame. */
    private long turnStart;
    /** The budget ran out with input left: reads are held and {@link #goOn} is scheduled. */
    private boolean deferred;

    FrameBudgetDecoder(WebSocketDecoderConfig config, ReadGate reads) {
        super(config);
        this.reads = reads;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (deferred) {
            return; // goOn decodes these bytes in its own turn
        }
        if (frames == 0) {
            turnStart = System.nanoTime();
        } else if (frames >= FRAMES_PER_TURN || bytes >= BYTES_PER_TURN
                || (frames >= MIN_FRAMES_PER_TURN && System.nanoTime() - turnStart >= NANOS_PER_TURN)) {
            defer(ctx);
            return;
        }
        int before = out.size();
        super.decode(ctx, in, out);
        for (int i = before; i < out.size(); i++) {
            frames++;
            bytes += ((WebSocketFrame) out.get(i)).content().readableBytes();
        }
    }

    /** The input ended (the client went away): what is left is decoded now, budget or not. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.isReadable()) {
            int readable = in.readableBytes();
            int before = out.size();
            super.decode(ctx, in, out);
            if (out.size() == before && in.readableBytes() == readable) {
                return; // a partial frame
            }
        }
    }

    private void defer(ChannelHandlerContext ctx) {
        deferred = true;
        reads.hold(ReadGate.TURN);
        ctx.executor().schedule(goOn, 0, TimeUnit.NANOSECONDS);
    }

    /** A turn of its own: decodes the next slice of the input left behind, as a read would. */
    private void goOn() {
        deferred = false;
        frames = 0;
        bytes = 0;
        if (ctx.isRemoved() || !ctx.channel().isActive()) {
            return;
        }
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (deferred) {
            // Mid-slice: the replies made so far are flushed, but no read is asked for (the
            // decoder's default asks for one when reads are off and nothing was decoded).
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        frames = 0;
        bytes = 0;
        reads.release(ReadGate.TURN);
        super.channelReadComplete(ctx);
    }
}

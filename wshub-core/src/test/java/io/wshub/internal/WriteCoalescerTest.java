package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the channel's queue gets from {@link WriteCoalescer}: the bytes written, in the order
 * written, in as few buffers as it may, and no buffer kept or leaked (the suite runs with
 * paranoid leak detection).
 */
class WriteCoalescerTest {
    private final WriteCoalescer coalescer = new WriteCoalescer();
    private final EmbeddedChannel channel = new EmbeddedChannel(coalescer);
    private final List<ByteBuf> shared = new ArrayList<>();

    @AfterEach
    void sharedFramesAreLeftAsTheyWereAndReleased() {
        channel.finishAndReleaseAll();
        for (ByteBuf frame : shared) {
            assertThat(frame.refCnt()).as("only the sender's reference is left").isEqualTo(1);
            assertThat(frame.readerIndex()).as("a shared frame's indices are the sender's").isZero();
            frame.release();
        }
    }

    @Test
    void smallFramesWrittenBeforeAFlushLeaveAsOneBufferInOrder() {
        coalescer.writeShared(frame("one"));
        channel.write(owned("two"), channel.voidPromise()); // a reply, through the pipeline
        coalescer.writeShared(frame("three"));
        assertThat(coalescer.held()).isEqualTo("onetwothree".length());
        assertThat(channel.outboundMessages()).as("nothing queued before the flush").isEmpty();
        channel.flush();
        assertThat(coalescer.held()).isZero();
        assertThat(written()).containsExactly("onetwothree");
    }

    @Test
    void aSingleSharedFrameLeavesAsADuplicateAndAnUnsharedOneAsItIs() {
        ByteBuf shared = frame("shared");
        coalescer.writeShared(shared);
        channel.flush();
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("its own indices").isNotSameAs(shared);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("shared");
        out.release();

        ByteBuf reply = owned("reply");
        channel.writeAndFlush(reply, channel.voidPromise());
        assertThat((ByteBuf) channel.readOutbound()).as("nobody else holds it").isSameAs(reply);
        reply.release();
    }

    @Test
    void largeFramesAndWritesWithAPromiseKeepTheirPlace() {
        String large = "L".repeat(WriteCoalescer.COPY_MAX_BYTES + 1);
        coalescer.writeShared(frame("a"));
        coalescer.writeShared(frame("b"));
        coalescer.writeShared(frame(large));
        coalescer.writeShared(frame("c"));
        ChannelPromise promise = channel.newPromise();
        channel.write(owned("pong"), promise);
        coalescer.writeShared(frame("d"));
        channel.flush();
        assertThat(written()).containsExactly("ab", large, "c", "pong", "d");
        assertThat(promise.isSuccess()).as("a write with a promise is queued as it is, and completes").isTrue();
    }

    @Test
    void aBufferHoldsAtMostOneSegment() {
        String chunk = "x".repeat(1000);
        int frames = 3 * WriteCoalescer.SEGMENT_BYTES / chunk.length();
        for (int i = 0; i < frames; i++) {
            coalescer.writeShared(frame(chunk));
            assertThat(coalescer.held()).isLessThanOrEqualTo(WriteCoalescer.SEGMENT_BYTES);
        }
        channel.flush();
        List<String> out = written();
        assertThat(out).hasSizeGreaterThan(2).allSatisfy(b -> assertThat(b.length()).isLessThanOrEqualTo(WriteCoalescer.SEGMENT_BYTES));
        assertThat(String.join("", out)).isEqualTo(chunk.repeat(frames));
    }

    @Test
    void aCloseDropsWhatIsHeld() {
        coalescer.writeShared(frame("never"));
        coalescer.writeShared(frame("sent"));
        channel.close();
        assertThat(coalescer.held()).isZero();
        assertThat(channel.outboundMessages()).isEmpty();
    }

    /** A frame as the fan-out shares it: the sender keeps one reference, checked after the test. */
    private ByteBuf frame(String bytes) {
        ByteBuf frame = channel.alloc().directBuffer().writeBytes(bytes.getBytes(StandardCharsets.US_ASCII));
        shared.add(frame);
        return frame;
    }

    /** A frame the writer hands over, as a reply is. */
    private ByteBuf owned(String bytes) {
        return channel.alloc().directBuffer().writeBytes(bytes.getBytes(StandardCharsets.US_ASCII));
    }

    /** The buffers queued on the channel, as text, each released. */
    private List<String> written() {
        List<String> out = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            out.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out;
    }
}

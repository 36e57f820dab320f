package io.wshub.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.wshub.protocol.Codec;
import io.wshub.protocol.JsonCodec;
import io.wshub.protocol.Outbound;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Preparing one broadcast for N members: encode once and hand each member a retained
 * duplicate (what wshub does) versus encoding per member. Socket writes are not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class BroadcastEncodeBench {
    @Param({"1000"})
    public int members;

    private final Codec codec = JsonCodec.INSTANCE;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final Outbound message = Outbound.push("broadcast", CodecBench.payload());

    @Benchmark
    public int encodeOnce() {
        ByteBuf once = codec.encode(alloc, message);
        int bytes = 0;
        for (int i = 0; i < members; i++) {
            ByteBuf copy = once.retainedDuplicate();
            bytes += copy.readableBytes();
            copy.release();
        }
        once.release();
        return bytes;
    }

    @Benchmark
    public int encodePerMember() {
        int bytes = 0;
        for (int i = 0; i < members; i++) {
            ByteBuf each = codec.encode(alloc, message);
            bytes += each.readableBytes();
            each.release();
        }
        return bytes;
    }
}

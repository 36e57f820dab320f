package io.wshub.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.wshub.protocol.Codec;
import io.wshub.protocol.DecodeException;
import io.wshub.protocol.Inbound;
import io.wshub.protocol.JsonCodec;
import io.wshub.protocol.Outbound;
import io.wshub.protocol.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The json codec on the echo request of the macro bench: decode, and encode of the reply. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class CodecBench {
    private static final String REQUEST =
            "{\"event\":\"echo\",\"data\":{\"n\":1,\"s\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"},\"seqno\":\"12345\"}";

    private final Codec codec = JsonCodec.INSTANCE;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf request;
    private Inbound decoded;
    private Outbound mapReply;

    @Setup
    public void setup() throws DecodeException {
        request = Unpooled.directBuffer().writeBytes(REQUEST.getBytes(StandardCharsets.UTF_8));
        decoded = codec.decode(request.duplicate());
        mapReply = Outbound.reply(decoded, Map.of("delivered", 10_000));
    }

    @Benchmark
    public Inbound decodeEchoRequest() throws DecodeException {
        return codec.decode(request.duplicate());
    }

    /** The echo handler's reply: the request's data passed through as raw JSON. */
    @Benchmark
    public int encodeRawReply() {
        ByteBuf out = codec.encode(alloc, Outbound.reply(decoded, decoded.data()));
        int size = out.readableBytes();
        out.release();
        return size;
    }

    /** A reply whose data is a Java object serialized by Jackson (the broadcast answer). */
    @Benchmark
    public int encodeMapReply() {
        ByteBuf out = codec.encode(alloc, mapReply);
        int size = out.readableBytes();
        out.release();
        return size;
    }

    /** Decode plus encode: the codec's whole share of one echo round trip. */
    @Benchmark
    public int echoRoundTrip() throws DecodeException {
        Inbound in = codec.decode(request.duplicate());
        ByteBuf out = codec.encode(alloc, Outbound.reply(in, in.data()));
        int size = out.readableBytes();
        out.release();
        return size;
    }

    static RawJson payload() {
        return RawJson.of("{\"t\":1763760000123456,\"i\":42,\"pad\":\"0123456789abcdef0123456789abcdef\"}");
    }
}

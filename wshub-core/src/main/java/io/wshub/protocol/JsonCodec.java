package io.wshub.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The default codec, wire-compatible with HotGo: {@code {"event","data","seqno"}} in,
 * {@code {"event","code","errorMsg","data","timestamp","seqno"}} out, empty members omitted.
 */
public final class JsonCodec extends JsonWireCodec {
    public static final JsonCodec INSTANCE = new JsonCodec();
    private static final byte[] EVENT = JsonOut.name("event");
    private static final byte[] CODE = comma("code");
    private static final byte[] ERROR_MSG = comma("errorMsg");
    private static final byte[] DATA = comma("data");
    private static final byte[] TIMESTAMP = comma("timestamp");
    private static final byte[] SEQNO = comma("seqno");

    private JsonCodec() {
        super("event");
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    void writeFields(ByteBuf out, Outbound m) {
        out.writeBytes(EVENT);
        JsonOut.string(out, m.event());
        out.writeBytes(CODE);
        JsonOut.number(out, m.code());
        if (m.message() != null && !m.message().isEmpty()) {
            out.writeBytes(ERROR_MSG);
            JsonOut.string(out, m.message());
        }
        if (hasData(m.data())) {
            out.writeBytes(DATA);
            JsonOut.value(out, m.data());
        }
        out.writeBytes(TIMESTAMP);
        JsonOut.number(out, Protocol.nowSeconds());
        if (m.seqno() != null && !m.seqno().isEmpty()) {
            out.writeBytes(SEQNO);
            JsonOut.seqno(out, m.seqno(), m.seqnoIsNumber());
        }
    }
}

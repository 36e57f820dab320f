package io.wshub.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * No envelope at all (GinSkeleton, the gin+gorilla chat tutorial): every text or binary frame
 * goes unchanged to the application's raw handlers ({@code WsHub#onRaw}) with its frame type,
 * and sends carry the application's bytes as given ({@code WsHub#sendRaw}). An event push
 * ({@code sendToUser(user, event, data)}) writes only its data: a string as UTF-8, bytes as
 * they are, anything else as JSON; the event name does not travel. An error the hub itself
 * reports (a message over the size limit, say) is its text.
 */
public final class RawCodec implements Codec {
    public static final RawCodec INSTANCE = new RawCodec();

    private RawCodec() {}

    @Override
    public String name() {
        return "raw";
    }

    @Override public boolean acceptsBinary() { return true; }
    @Override public boolean carriesEvents() { return false; }

    /** The frame's bytes as one message named {@code raw}; the hub hands raw frames to raw handlers and does not call this. */
    @Override
    public Inbound decode(ByteBuf frame) {
        return new Inbound("raw", null, RawJson.NULL);
    }

    @Override
    public void encode(Outbound message, ByteBuf out) {
        Object data = message.data();
        if (message.code() != Protocol.OK) {
            ByteBufUtil.writeUtf8(out, message.message() == null ? "error " + message.code() : message.message());
        } else if (data == null) {
            return;
        } else if (data instanceof byte[] bytes) {
            out.writeBytes(bytes);
        } else if (data instanceof CharSequence text) {
            ByteBufUtil.writeUtf8(out, text);
        } else if (data instanceof RawJson raw) {
            out.writeBytes(raw.bytes());
        } else {
            try {
                out.writeBytes(JsonWireCodec.MAPPER.writeValueAsBytes(data));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("data is not serializable to JSON: " + e.getOriginalMessage(), e);
            }
        }
    }
}

package io.wshub.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Turns text frames into {@link Inbound} messages and {@link Outbound} messages into frame
 * bytes. Implementations are stateless and called concurrently from every event loop and
 * from sender threads.
 */
public interface Codec {

    /** The name used in config ({@code json}, {@code wsrv}). */
    String name();

    /**
     * Decodes one complete text message. Does not release {@code frame}.
     *
     * @throws DecodeException when the frame is not a valid request; its message is sent
     *                         back to the client with code 400
     */
    Inbound decode(ByteBuf frame) throws DecodeException;

    /** Appends one encoded message to {@code out}. */
    void encode(Outbound message, ByteBuf out);

    /** Encodes one message into a new buffer from {@code alloc}; the caller owns it. */
    default ByteBuf encode(ByteBufAllocator alloc, Outbound message) {
        ByteBuf buf = alloc.buffer(128);
        try {
            encode(message, buf);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** The codec a config name selects. */
    static Codec named(String name) {
        return switch (name) {
            case "json" -> JsonCodec.INSTANCE;
            case "wsrv" -> WsrvCodec.INSTANCE;
            default -> throw new IllegalArgumentException("unknown codec '" + name + "' (json or wsrv)");
        };
    }
}

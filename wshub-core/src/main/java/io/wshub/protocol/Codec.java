package io.wshub.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wshub.FrameType;

import java.time.Duration;

/**
 * Turns data frames into {@link Inbound} messages and {@link Outbound} messages into frame
 * bytes. Implementations are stateless and called concurrently from every event loop and
 * from sender threads.
 */
public interface Codec {

    /** The name used in config ({@code json}, {@code wsrv}, {@code raw}). */
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

    // ---- the conventions of the codec's clients (docs/protocol.md §1) ------------------------

    /** Whether binary frames carry requests too (wsrv: yes); if not, they are answered with 400. */
    default boolean acceptsBinary() {
        return false;
    }

    /** The frame type of server pushes unless configured ({@code WsConfig#pushFrames}). */
    default FrameType pushFrames() {
        return FrameType.TEXT;
    }

    /** The idle timeout this codec's clients expect, or null for the hub's default. */
    default Duration idleTimeout() {
        return null;
    }

    /** Whether a request gets at most one reply, later ones being dropped (wsrv writes exactly one). */
    default boolean oneReplyPerRequest() {
        return false;
    }

    /**
     * The reply of a request whose handling ended without one, or null for none.
     *
     * @param routed whether a handler is registered for the event
     * @param passed whether every middleware let the message through (false: one stopped it)
     */
    default Outbound unanswered(Inbound request, boolean routed, boolean passed) {
        return !routed && passed ? Outbound.answer(request, Protocol.NOT_FOUND, "unknown event", null) : null;
    }

    /**
     * Whether frames carry an event envelope. The raw codec's do not: inbound frames go unchanged
     * to the raw handlers ({@code WsHub#onRaw}) instead of being decoded and routed, and the hub's
     * own pushes ({@code connected}, the {@code kick} event) are not sent.
     */
    default boolean carriesEvents() {
        return true;
    }

    /** The codec a config name selects. */
    static Codec named(String name) {
        return switch (name) {
            case "json" -> JsonCodec.INSTANCE;
            case "wsrv" -> WsrvCodec.INSTANCE;
            case "raw" -> RawCodec.INSTANCE;
            default -> throw new IllegalArgumentException("unknown codec '" + name + "' (json, wsrv or raw)");
        };
    }
}

package io.wshub.cluster;

import io.wshub.Target;
import io.wshub.protocol.RawJson;

/**
 * One operation travelling between nodes. Codec-neutral: each receiving node encodes it once
 * with its own codec.
 *
 * @param op       send a message, kick, a RAW frame, or join / quit a tag (server-side joins, docs/backend.md)
 * @param target   who it is for
 * @param event    the event of a SEND; null for KICK; the frame type ({@code text}/{@code binary}) of a RAW
 * @param data     the data of a SEND, the reason of a KICK as a JSON string, the tag of a JOIN / QUIT as a
 *                 JSON string, or the payload of a RAW frame as a JSON string (a text frame's text, a binary frame's bytes in base64)
 * @param origin   node id of the sender, so a node can ignore its own publications
 * @param position where a {@link History} stream put this SEND; null for sends without
 *                 history. A positioned envelope reaches its origin node too.
 */
public record Envelope(Op op, Target target, String event, RawJson data, String origin, StreamPosition position) {
    public enum Op { SEND, KICK, RAW, JOIN, QUIT }

    /** An envelope without a stream position (every {@link Broker} publish). */
    public Envelope(Op op, Target target, String event, RawJson data, String origin) {
        this(op, target, event, data, origin, null);
    }

    public Envelope at(StreamPosition position) {
        return new Envelope(op, target, event, data, origin, position);
    }
}

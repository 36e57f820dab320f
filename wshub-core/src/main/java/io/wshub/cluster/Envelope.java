package io.wshub.cluster;

import io.wshub.Target;
import io.wshub.Target;
import io.wshub.protocol.RawJson;

/**
 * One operation travelling between nodes. Codec-neutral: each receiving node encodes it once
 * with its own codec.
 *
 * @param op     send a message, kick, or join / quit a tag (server-side joins, docs/backend.md)
 * @param target who it is for
 * @param event  the event of a SEND; null for KICK
 * @param data   the data of a SEND, the reason of a KICK or the tag of a JOIN / QUIT, as a JSON string
 * @param origin node id of the sender, so a node can ignore its own publications
 */
public record Envelope(Op op, Target target, String event, RawJson data, String origin) {
    public enum Op { SEND, KICK, JOIN, QUIT }
}

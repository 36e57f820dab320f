package io.wshub;

import io.wshub.cluster.StreamPosition;

/**
 * The answer of {@link WsHub#publish}: how many connections the send reached, and on a target
 * with history (docs/history.md) the stream and the position the message got.
 *
 * @param stream   {@code user:<id>} or {@code tag:<tag>}; null without history
 * @param position null without history
 */
public record SendResult(int delivered, String stream, StreamPosition position) {

    /** A send to a target without history. */
    public static SendResult live(int delivered) {
        return new SendResult(delivered, null, null);
    }

    public SendResult plus(int more) {
        return new SendResult(delivered + more, stream, position);
    }
}

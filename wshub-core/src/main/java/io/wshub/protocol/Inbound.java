package io.wshub.protocol;

import io.wshub.FrameType;

/**
 * One decoded client message.
 *
 * @param event the event (json codec) or cmd (wsrv codec); never null
 * @param seqno the client's sequence number, echoed on the reply; null when absent
 * @param data  the data member as raw JSON; {@link RawJson#NULL} when absent
 * @param frame the frame type it came in; its replies go out in the same type (wsrv)
 * @param seqnoIsNumber true when the client sent {@code seqno} as a JSON number: {@code seqno}
 *                      then holds its exact text and replies echo it as a number
 */
public record Inbound(String event, String seqno, RawJson data, FrameType frame, boolean seqnoIsNumber) {

    /** A message that came in a text frame, its seqno (if any) a string. */
    public Inbound(String event, String seqno, RawJson data) {
        this(event, seqno, data, FrameType.TEXT, false);
    }

    /** A message that came in a text frame. */
    public Inbound(String event, String seqno, RawJson data, boolean seqnoIsNumber) {
        this(event, seqno, data, FrameType.TEXT, seqnoIsNumber);
    }

    /** This message as having come in a {@code type} frame. */
    public Inbound in(FrameType type) {
        return type == frame ? this : new Inbound(event, seqno, data, type, seqnoIsNumber);
    }
}

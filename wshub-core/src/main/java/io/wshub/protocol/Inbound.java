package io.wshub.protocol;

import io.wshub.FrameType;

/**
 * One decoded client message.
 *
 * @param event the event (json codec) or cmd (wsrv codec); never null
 * @param seqno the client's sequence number, echoed on the reply; null when absent
 * @param data  the data member as raw JSON; {@link RawJson#NULL} when absent
 * @param frame the frame type it came in; its replies go out in the same type (wsrv)
 */
public record Inbound(String event, String seqno, RawJson data, FrameType frame) {

    /** A message that came in a text frame. */
    public Inbound(String event, String seqno, RawJson data) {
        this(event, seqno, data, FrameType.TEXT);
    }

    /** This message as having come in a {@code type} frame. */
    public Inbound in(FrameType type) {
        return type == frame ? this : new Inbound(event, seqno, data, type);
    }
}

package io.wshub.protocol;

/**
 * One decoded client message.
 *
 * @param event the event (json codec) or cmd (wsrv codec); never null
 * @param seqno the client's sequence number, echoed on the reply; null when absent
 * @param data  the data member as raw JSON; {@link RawJson#NULL} when absent
 * @param seqnoIsNumber true when the client sent {@code seqno} as a JSON number: {@code seqno}
 *                      then holds its exact text and replies echo it as a number
 */
public record Inbound(String event, String seqno, RawJson data, boolean seqnoIsNumber) {
    /** A message whose seqno (if any) is a string. */
    public Inbound(String event, String seqno, RawJson data) {
        this(event, seqno, data, false);
    }
}

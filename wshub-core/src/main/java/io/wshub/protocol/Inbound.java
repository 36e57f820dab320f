package io.wshub.protocol;

/**
 * One decoded client message.
 *
 * @param event the event (json codec) or cmd (wsrv codec); never null
 * @param seqno the client's sequence number, echoed on the reply; null when absent
 * @param data  the data member as raw JSON; {@link RawJson#NULL} when absent
 */
public record Inbound(String event, String seqno, RawJson data) {}

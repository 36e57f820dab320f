package io.wshub.protocol;

/**
 * A frame the codec cannot turn into an {@link Inbound}. Expected client behaviour, so it
 * carries no stack trace.
 */
public final class DecodeException extends Exception {
    private final String event;
    private final String seqno;

    /**
     * @param event the event when the frame got far enough to name one, else null
     * @param seqno the seqno when known, else null
     */
    public DecodeException(String message, String event, String seqno) {
        super(message, null, false, false);
        this.event = event;
        this.seqno = seqno;
    }

    public String event() { return event; }
    public String seqno() { return seqno; }
}

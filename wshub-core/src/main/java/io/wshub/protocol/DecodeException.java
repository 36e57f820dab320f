package io.wshub.protocol;

/**
 * A frame the codec cannot turn into an {@link Inbound}. Expected client behaviour, so it
 * carries no stack trace.
 */
public final class DecodeException extends Exception {
    private final String event;
    private final String seqno;
    private final boolean seqnoIsNumber;

    /**
     * @param event the event when the frame got far enough to name one, else null
     * @param seqno the seqno when known, else null
     */
    public DecodeException(String message, String event, String seqno) {
        this(message, event, seqno, false);
    }

    /** @param seqnoIsNumber the client sent {@code seqno} as a number (see {@link Inbound#seqnoIsNumber()}) */
    public DecodeException(String message, String event, String seqno, boolean seqnoIsNumber) {
        super(message, null, false, false);
        this.event = event;
        this.seqno = seqno;
        this.seqnoIsNumber = seqnoIsNumber;
    }

    public boolean seqnoIsNumber() { return seqnoIsNumber; }

    public String event() { return event; }
    public String seqno() { return seqno; }
}

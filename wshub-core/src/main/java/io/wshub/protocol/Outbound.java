package io.wshub.protocol;

/**
 * One server message before encoding.
 *
 * @param event   event name (json) or cmd (wsrv)
 * @param code    {@link Protocol#OK} or an error code
 * @param message error text; null on success
 * @param data    any Jackson-serializable value, a {@link RawJson}, or null
 * @param seqno   the request's seqno on replies; null on pushes
 * @param mark    the stream position on targets with history; null elsewhere (nothing written)
 * @param seqnoIsNumber write {@code seqno} as a JSON number (the request sent one); it then
 *                      holds a number's text as the parser read it
 */
public record Outbound(String event, int code, String message, Object data, String seqno, StreamMark mark, boolean seqnoIsNumber) {

    public Outbound(String event, int code, String message, Object data, String seqno) {
        this(event, code, message, data, seqno, null, false);
    }

    public Outbound(String event, int code, String message, Object data, String seqno, StreamMark mark) {
        this(event, code, message, data, seqno, mark, false);
    }

    public Outbound(String event, int code, String message, Object data, String seqno, boolean seqnoIsNumber) {
        this(event, code, message, data, seqno, null, seqnoIsNumber);
    }

    public Outbound with(StreamMark mark) {
        return new Outbound(event, code, message, data, seqno, mark, seqnoIsNumber);
    }

    /** The answer to {@code request}: its event and its seqno, as the client sent it. */
    public static Outbound answer(Inbound request, int code, String message, Object data) {
        return new Outbound(request.event(), code, message, data, request.seqno(), null, request.seqnoIsNumber());
    }

    public static Outbound push(String event, Object data) {
        return new Outbound(event, Protocol.OK, null, data, null);
    }

    public static Outbound reply(Inbound request, Object data) {
        return answer(request, Protocol.OK, null, data);
    }

    public static Outbound error(String event, String seqno, int code, String message) {
        return new Outbound(event, code, message, null, seqno);
    }
}

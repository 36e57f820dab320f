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
 */
public record Outbound(String event, int code, String message, Object data, String seqno, StreamMark mark) {

    public Outbound(String event, int code, String message, Object data, String seqno) {
        this(event, code, message, data, seqno, null);
    }

    public Outbound with(StreamMark mark) {
        return new Outbound(event, code, message, data, seqno, mark);
    }

    public static Outbound push(String event, Object data) {
        return new Outbound(event, Protocol.OK, null, data, null);
    }

    public static Outbound reply(Inbound request, Object data) {
        return new Outbound(request.event(), Protocol.OK, null, data, request.seqno());
    }

    public static Outbound error(String event, String seqno, int code, String message) {
        return new Outbound(event, code, message, null, seqno);
    }
}

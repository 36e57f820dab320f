package io.wshub.protocol;

/**
 * Every number the wire contract names, in one place (docs/protocol.md §1): reply codes carried in
 * messages and WebSocket close codes.
 */
public final class Protocol {
    private Protocol() {}

    /** Reply code of a successful request. */
    public static final int OK = 0;
    /** A handler reported a generic failure (HotGo's {@code SendError}). */
    public static final int GENERIC_ERROR = -1;
    /** The frame is not JSON, not an object, or lacks {@code event}. */
    public static final int BAD_REQUEST = 400;
    /** The event needs an authenticated user. */
    public static final int UNAUTHORIZED = 401;
    /** A middleware refused the message. */
    public static final int FORBIDDEN = 403;
    /** No handler is registered for the event. */
    public static final int NOT_FOUND = 404;
    /** The message is larger than the inbound limit. */
    public static final int TOO_LARGE = 413;
    /** The connection sends faster than it is allowed to, or the server is saturated. */
    public static final int RATE_LIMITED = 429;
    /** The handler threw. */
    public static final int INTERNAL_ERROR = 500;
    /** The backend behind the event, connect or join proxy failed or answered garbage (docs/backend.md). */
    public static final int BAD_GATEWAY = 502;
    /** The backend did not answer within the route's timeout. */
    public static final int GATEWAY_TIMEOUT = 504;

    /** Event name of replies to frames that could not be parsed far enough to know their event. */
    public static final String ERROR_EVENT = "error";
    public static final String PING_EVENT = "ping";
    public static final String JOIN_EVENT = "join";
    public static final String QUIT_EVENT = "quit";
    public static final String REFRESH_EVENT = "refresh";
    public static final String CONNECTED_EVENT = "connected";
    public static final String KICK_EVENT = "kick";

    public static final int CLOSE_NORMAL = 1000;
    public static final int CLOSE_GOING_AWAY = 1001;
    /** A frame broke RFC 6455 (reserved bits, unknown opcode, unmasked, bad fragmentation or close frame). */
    public static final int CLOSE_PROTOCOL_ERROR = 1002;
    /** A text message (or close reason) that is not valid UTF-8. */
    public static final int CLOSE_INVALID_PAYLOAD = 1007;
    public static final int CLOSE_POLICY = 1008;
    public static final int CLOSE_TOO_BIG = 1009;
    public static final int CLOSE_KICKED = 4000;
    public static final int CLOSE_TOKEN_EXPIRED = 4001;
    public static final int CLOSE_SLOW_CONSUMER = 4008;
    public static final int CLOSE_RATE_LIMITED = 4029;
    public static final int CLOSE_HEARTBEAT_TIMEOUT = 4408;
    /** The server failed; the client may retry. */
    public static final int CLOSE_INTERNAL_ERROR = 1011;

    /**
     * Why {@code code} may not be sent in a close frame, or null when it may (RFC 6455 §7.4):
     * 1000-1003 and 1007-1014 are defined, 3000-4999 belong to libraries and applications;
     * 1004-1006 and 1015 must never be on the wire, the rest is unassigned.
     */
    public static String closeCodeProblem(int code) {
        if (code < 1000 || code >= 5000) {
            return "close code must be in [1000, 5000): " + code;
        }
        if ((code >= 1004 && code <= 1006) || (code >= 1015 && code < 3000)) {
            return "close code " + code + " is reserved and may not be sent";
        }
        return null;
    }

    /**
     * Longest tag in UTF-8 bytes: room for ids like {@code room:<uuid>:thread:<uuid>}, and with the
     * tag cap it keeps a {@code join} reply (every tag of the connection) small.
     */
    public static final int MAX_TAG_BYTES = 256;

    /** Why {@code tag} cannot be a tag, or null when it can: non-empty, at most {@link #MAX_TAG_BYTES} in UTF-8. */
    public static String tagProblem(String tag) {
        if (tag == null || tag.isEmpty()) {
            return "tag must not be empty";
        }
        if (tag.length() > MAX_TAG_BYTES / 3 && tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
            return "tag longer than " + MAX_TAG_BYTES + " bytes";
        }
        return null;
    }

    /** A close frame's reason may hold 123 bytes: a control frame carries 125, the code takes 2 (RFC 6455 §5.5). */
    public static final int MAX_CLOSE_REASON_BYTES = 123;

    /** {@code reason} cut to fit a close frame, on a character boundary; the full text goes elsewhere (the kick event). */
    public static String closeReason(String reason) {
        if (reason == null) {
            return "";
        }
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_CLOSE_REASON_BYTES) {
                return reason.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return reason;
    }

    /** Unix seconds, as HotGo stamps every message. */
    public static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}

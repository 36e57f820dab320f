package io.wshub.client;

/**
 * A request that failed: either the server answered with a non-zero code ({@link #serverCode()}),
 * or the client gave up on it ({@link #kind()}).
 */
public final class WsHubClientException extends RuntimeException {

    /** Why a request failed. */
    public enum Kind {
        /** The server answered with a non-zero code. */
        SERVER_ERROR,
        /** No reply within the request timeout. */
        TIMEOUT,
        /** The connection dropped after the request went out; it may or may not have been handled. */
        DISCONNECTED,
        /** The client is closed (or was kicked) and queues nothing. */
        CLOSED,
        /** The offline queue (or the outbound buffer) is full. */
        QUEUE_FULL,
        /** The server sent something that is not a wshub message. */
        BAD_MESSAGE
    }

    private final Kind kind;
    private final int serverCode;
    private final String event;

    public WsHubClientException(Kind kind, int serverCode, String event, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.serverCode = serverCode;
        this.event = event;
    }

    /** A client-side failure (no server code). */
    public static WsHubClientException of(Kind kind, String event, String message) {
        return new WsHubClientException(kind, 0, event, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The server's code (400, 401, 403, 404, 413, 429, 500, -1, ...) for {@link Kind#SERVER_ERROR}; 0 otherwise. */
    public int serverCode() {
        return serverCode;
    }

    /** The event of the request, or null. */
    public String event() {
        return event;
    }
}

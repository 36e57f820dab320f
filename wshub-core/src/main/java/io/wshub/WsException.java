package io.wshub;

/**
 * Thrown by a handler or middleware to answer the current message with an error code
 * (docs/protocol.md §1: -1, 400, 401, 403, 404, 413, 429, 500) and text. Not logged: it is an answer,
 * not a failure.
 */
public class WsException extends RuntimeException {
    private final int code;

    public WsException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}

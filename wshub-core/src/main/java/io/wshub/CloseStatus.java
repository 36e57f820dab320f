package io.wshub;

/** How a connection ended: a WebSocket close code (see {@code io.wshub.protocol.Protocol}) and reason. */
public record CloseStatus(int code, String reason) {
    /** The socket closed without a close frame (RFC 6455 §7.1.5). */
    public static final int ABNORMAL = 1006;
}

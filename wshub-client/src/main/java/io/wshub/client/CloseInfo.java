package io.wshub.client;

/**
 * Why a connection ended (docs/protocol.md §1 close codes).
 *
 * @param code          the WebSocket close code; 1006 when the socket broke without a close
 *                      frame, 0 when it never opened (refused upgrade, unreachable server)
 * @param reason        the close reason or error text, never null
 * @param willReconnect true when the client schedules another attempt; false after a kick, a
 *                      policy close, {@link WsHubClient#close()} or a refused static token
 */
public record CloseInfo(int code, String reason, boolean willReconnect) {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int ABNORMAL = 1006;
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;
    public static final int KICKED = 4000;
    public static final int TOKEN_EXPIRED = 4001;
    public static final int SLOW_CONSUMER = 4008;
    public static final int RATE_LIMITED = 4029;
    public static final int HEARTBEAT_TIMEOUT = 4408;
}

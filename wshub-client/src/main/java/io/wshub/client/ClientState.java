package io.wshub.client;

/** Where a {@link WsHubClient} is in its life. */
public enum ClientState {
    /** Built, {@link WsHubClient#connect()} not called yet. */
    IDLE,
    /** First attempt under way. */
    CONNECTING,
    /** Connected: sends go out at once. */
    OPEN,
    /** Lost the connection and waiting for (or making) the next attempt; sends are queued. */
    RECONNECTING,
    /** Stopped: after {@link WsHubClient#close()}, a kick or a policy close. {@link WsHubClient#connect()} starts again. */
    CLOSED
}

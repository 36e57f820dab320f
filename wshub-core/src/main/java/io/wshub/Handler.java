package io.wshub;

/**
 * Handles one event. Registered with {@link WsHub#on} (runs on the connection's event loop:
 * must not block) or {@link WsHub#onBlocking} (runs on the worker pool). Handlers of one
 * connection run one at a time, in arrival order.
 *
 * <p>A handler that throws {@link WsException} answers with that code; anything else it
 * throws answers with code 500 and is logged once.
 */
@FunctionalInterface
public interface Handler {
    void handle(Context ctx) throws Exception;
}

package io.wshub;

/**
 * Receives every frame a client sends when the hub runs the raw codec ({@code codec("raw")}).
 * Registered with {@link WsHub#onRaw}; handlers run in registration order, one frame at a time
 * per connection, on the connection's event loop: they must not block (hand slow work to an
 * executor and answer later with {@link Connection#sendRaw}). A handler that throws is logged
 * and the next one still runs; the connection stays open.
 */
@FunctionalInterface
public interface RawHandler {
    void onRaw(RawMessage message) throws Exception;
}

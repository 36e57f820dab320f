package io.wshub;

/**
 * Called once per connection after it closed and left every user and tag, on its event loop.
 * {@code status} is the close code that ended it (sent by either side, or 1006 when the
 * socket dropped without a close frame).
 */
@FunctionalInterface
public interface CloseListener {
    void onClose(Connection connection, CloseStatus status);
}

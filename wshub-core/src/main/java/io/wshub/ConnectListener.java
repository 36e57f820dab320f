package io.wshub;

/** Called once per connection right after the upgrade, on its event loop. Must not block. */
@FunctionalInterface
public interface ConnectListener {
    void onConnect(Connection connection);
}

package io.wshub;

/**
 * Called after a connection joined ({@code joined} true) or left a tag, on the thread that
 * made the change (an event loop, or any thread calling {@link Connection#join}). Not called
 * for the tags a closing connection leaves all at once: {@link CloseListener} covers those.
 * Must not block.
 */
@FunctionalInterface
public interface TagListener {
    void onTagChange(Connection connection, String tag, boolean joined);
}

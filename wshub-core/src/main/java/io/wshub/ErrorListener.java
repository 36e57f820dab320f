package io.wshub;

/** Called when a handler throws something other than {@link WsException}, or I/O fails. */
@FunctionalInterface
public interface ErrorListener {
    void onError(Connection connection, Throwable error);
}

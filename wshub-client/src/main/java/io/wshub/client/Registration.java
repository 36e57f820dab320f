package io.wshub.client;

/** A handler added to a {@link WsHubClient}; {@link #remove()} takes it out again. */
@FunctionalInterface
public interface Registration {
    /** Removes the handler; idempotent. */
    void remove();
}

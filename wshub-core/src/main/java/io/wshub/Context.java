package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One inbound message on its way through middleware to its handler. Belongs to the thread
 * running the handler; {@link #reply} and {@link #error} may be called later from any thread.
 */
public interface Context {

    String event();

    /** The client's seqno, or null; every reply carries it. */
    String seqno();

    /** The message data as a tree ({@code NullNode} when absent). Parsed on first call. */
    JsonNode data();

    /** The message data as raw JSON text, never parsed: cheapest to forward or echo. */
    io.wshub.protocol.RawJson rawData();

    /**
     * The data bound to {@code type} with Jackson.
     *
     * @throws WsException 400 when the data does not fit the type
     */
    <T> T bind(Class<T> type);

    /** Answers with code 0 and {@code data} (any Jackson value, a JsonNode, or RawJson). */
    void reply(Object data);

    /** Answers with an error code and text. */
    void error(int code, String message);

    /** True once {@link #reply} or {@link #error} was called. */
    boolean replied();

    Connection connection();

    /** Shortcut for {@code connection().userId()}. */
    String userId();

    /**
     * The user id, or throws 401 for an anonymous connection: the way a handler demands
     * authentication in {@code optional} auth mode.
     */
    String requireUser();

    /** The hub, to send to other connections. */
    WsHub hub();

    /**
     * Answers later, without blocking: the handler returns at once and calls {@link #reply} or
     * {@link #error} (from any thread) before {@code work} completes. This connection's next
     * message waits until {@code work} completes, so answers keep arrival order (the way the
     * event proxy forwards to an HTTP backend, docs/backend.md). If {@code work} fails or
     * completes without an answer, the client gets 500. Call at most once, from the handler.
     */
    default void async(java.util.concurrent.CompletionStage<?> work) {
        throw new UnsupportedOperationException("this context cannot answer later");
    }
}

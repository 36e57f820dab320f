package io.wshub;

import java.time.Instant;
import java.util.Set;

/**
 * One WebSocket connection on this node. Safe to use from any thread; nothing here blocks.
 *
 * <h2>Outbound queue</h2>
 * {@link #send} encodes and queues the message and returns at once. Each connection's queue
 * is bounded in bytes ({@link WsConfig#outboundQueueBytes}); a send that would overflow it
 * closes the connection with 4008 and returns false, so one slow reader never slows the
 * others or grows memory without bound.
 *
 * <h2>Arguments</h2>
 * A null argument throws a {@link NullPointerException} naming it, before anything changes,
 * except where a parameter says null is allowed ({@link #send}'s data, a close or kick reason).
 */
public interface Connection {

    /** Server-generated id, unique across the cluster. */
    String id();

    /** The authenticated user, or null for an anonymous connection. */
    String userId();

    String ip();

    /** The User-Agent header of the upgrade request, or null. */
    String userAgent();

    Instant connectedAt();

    /** When a frame (of any kind) last arrived. */
    Instant lastSeenAt();

    /** A snapshot of the tags this connection is in. */
    Set<String> tags();

    /**
     * Joins a tag; returns false if it already was in it or the connection is gone.
     *
     * @param tag non-empty, at most {@link io.wshub.protocol.Protocol#MAX_TAG_BYTES} bytes of UTF-8
     * @throws IllegalArgumentException when {@code tag} is empty or too long
     * @throws WsException with code 413 when the connection is already in
     *         {@link Limits#maxTagsPerConnection()} tags (the built-in {@code join} replies with it)
     */
    boolean join(String tag);

    /** Leaves a tag; returns false if it was not in it. */
    boolean quit(String tag);

    /** Queues a push of {@code event} with {@code data}; false if closed or over its queue limit. */
    boolean send(String event, Object data);

    /**
     * Queues one frame of {@code type} carrying {@code payload} exactly as given, whatever the
     * codec (the raw codec's way to send; see {@link RawMessage}). A text payload must be UTF-8.
     * False if closed or over its queue limit; connections that cannot send raw frames return false.
     */
    default boolean sendRaw(FrameType type, byte[] payload) {
        return false;
    }

    /** Per-connection values for handlers and middleware (wsrv's session values). */
    <T> T attribute(String key);

    void attribute(String key, Object value);

    boolean isOpen();

    /**
     * Sends a close frame with {@code code} and closes; a second call does nothing.
     *
     * @param code   1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4); others are refused before
     *               anything changes, so the connection stays open and registered
     * @param reason any text; cut to the 123 bytes a close frame holds
     * @throws IllegalArgumentException for a code that may not be sent
     */
    void close(int code, String reason);

    /**
     * The claims of the token this connection was opened with (empty without one): what the
     * token join policy reads.
     */
    default java.util.Map<String, Object> claims() {
        return java.util.Map.of();
    }

    /** Delivers a {@code kick} event with the reason, then closes with 4000. */
    void kick(String reason);
}

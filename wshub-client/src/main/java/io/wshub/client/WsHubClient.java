package io.wshub.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A client of a wshub server (docs/protocol.md §1-2), built on the JDK's
 * {@code java.net.http.WebSocket}.
 *
 * <pre>{@code
 * WsHubClient client = WsHubClient.builder(URI.create("ws://127.0.0.1:8080/ws"))
 *         .tokenSupplier(() -> auth.fetchToken())     // again on every reconnect and before exp
 *         .build();
 * client.on("chat/message", Chat.class, chat -> render(chat));
 * client.connect().join();
 * client.join("room:1");
 * Reply r = client.request("chat/send", new Chat("room:1", "hi"), Reply.class).get();
 * }</pre>
 *
 * <h2>Connection</h2>
 * {@link #connect()} starts connecting and keeps the client connected: a lost connection is
 * re-made with capped exponential backoff and jitter ({@link Backoff}); the token supplier
 * is called for every attempt. Close 4001 (token expired) reconnects at once with a fresh
 * token. A kick (4000), a policy close (1008) or a refused static token stop the client in
 * {@link ClientState#CLOSED} until {@link #connect()} is called again. Tags joined with
 * {@link #join} are joined again after every reconnect, before queued messages go out.
 *
 * <h2>Queues and limits</h2>
 * While connecting or reconnecting, {@link #send} and {@link #request} go into a bounded
 * offline queue (default 100 messages; a full queue fails the request with
 * {@link WsHubClientException.Kind#QUEUE_FULL}), flushed in order on the next open. While
 * open, messages wait in an outbound buffer bounded in bytes. Every request has a timeout.
 *
 * <h2>Heartbeat and token refresh</h2>
 * After {@code heartbeatInterval} without inbound traffic the client sends a {@code ping};
 * no reply within {@code heartbeatTimeout} drops the socket (4408) and reconnects. With a
 * token supplier, the client sends {@code refresh} with a new token {@code refreshBeforeExpiry}
 * before the current JWT's {@code exp}, so the server never closes with 4001.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread and never blocks, except {@link #close()}.
 * Each client owns one thread (named {@code wshub-client-N}): every handler and listener runs
 * on it, one at a time, in the order messages arrived, and request futures complete on it.
 * Handlers must therefore not block; in particular never wait on a request future inside a
 * handler (chain with {@code thenAccept} instead). The token supplier runs on a pool thread
 * and may block.
 */
public interface WsHubClient extends AutoCloseable {

    /** A builder for a client of the WebSocket endpoint {@code uri} ({@code ws://host:port/ws} or {@code wss://...}). */
    static WsHubClientBuilder builder(URI uri) {
        return new WsHubClientBuilder(uri);
    }

    /**
     * Starts connecting (or restarts after a kick or {@link #close()}). Completes with this
     * client on the next open; fails with {@link WsHubClientException.Kind#CLOSED} when the
     * client stops first. Reconnect attempts in between do not fail it.
     */
    CompletableFuture<WsHubClient> connect();

    /**
     * Sends without waiting for a reply. False when the client is not started or closed; a
     * message that finds the offline queue full is dropped and reported to {@link #onError}.
     *
     * @throws IllegalArgumentException when Jackson cannot write {@code data}
     */
    boolean send(String event, Object data);

    /**
     * Sends and completes with the reply's data (a {@code JsonNode}), matched by seqno, with
     * the default request timeout. Fails with {@link WsHubClientException}.
     */
    CompletableFuture<com.fasterxml.jackson.databind.JsonNode> request(String event, Object data);

    /** {@link #request(String, Object)} with the reply bound to {@code type} by Jackson. */
    <T> CompletableFuture<T> request(String event, Object data, Class<T> type);

    /** {@link #request(String, Object)} with its own timeout. */
    CompletableFuture<com.fasterxml.jackson.databind.JsonNode> request(String event, Object data, Duration timeout);

    /**
     * Joins a tag now and after every reconnect; completes with this connection's tags. A
     * server refusal (an error code) also forgets the tag. While the client is not started or
     * closed the future fails with {@link WsHubClientException.Kind#CLOSED}, and the tag is
     * joined on the next {@link #connect()}.
     */
    CompletableFuture<List<String>> join(String tag);

    /** Leaves a tag (no longer re-joined); completes with this connection's tags. */
    CompletableFuture<List<String>> quit(String tag);

    /** Handles every server push of {@code event} (replies to requests go to their futures instead). */
    Registration on(String event, Consumer<ServerMessage> handler);

    /** Handles pushes of {@code event} with the data bound to {@code type}; a mismatch goes to {@link #onError}. */
    <T> Registration on(String event, Class<T> type, Consumer<? super T> handler);

    /** Called on every open with the attempt number (0 = first connection since {@link #connect()}). */
    Registration onOpen(Consumer<Integer> listener);

    Registration onClose(Consumer<CloseInfo> listener);

    /** Called when kicked, with the server's reason (from the {@code kick} event or the 4000 close). */
    Registration onKick(Consumer<String> listener);

    /** Errors no future can take: pushes with an error code, failed re-joins and refreshes, handler exceptions, refused upgrades. */
    Registration onError(Consumer<Throwable> listener);

    ClientState state();

    /**
     * The server-assigned id of the current connection, or null: set when the server's
     * {@code connected} event arrives, which is just after the open (so a reply to any request
     * made after {@link #connect()} completed comes after it).
     */
    String clientId();

    /** The user id the server saw in the token, or null. */
    String userId();

    /** The tags this client joins on every connect. */
    List<String> tags();

    /**
     * Closes for good with 1000: no reconnect; queued and pending requests fail with
     * {@link WsHubClientException.Kind#CLOSED}. Waits up to a second for the closing
     * handshake, then releases the client's thread. Idempotent.
     */
    @Override
    void close();
}

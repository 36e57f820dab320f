package io.wshub;

import io.micrometer.core.instrument.MeterRegistry;
import io.wshub.internal.RealHub;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A WebSocket hub: one HTTP port serving WebSocket upgrades on the configured paths, the
 * HTTP API, health and metrics.
 *
 * <pre>{@code
 * try (WsHub hub = WsHub.create(cfg -> cfg.port(8080).auth(JwtAuth.hs256(secret)))) {
 *     hub.on("chat/send", ctx -> ctx.reply(ctx.bind(Chat.class)));
 *     hub.start();
 *     hub.sendToUser("42", "notice", Map.of("text", "hello"));
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * Nothing runs before {@link #start()}. Register handlers, middleware and listeners before
 * it. {@link #close()} stops accepting, sends close 1001 to every client, waits up to the
 * drain timeout for them to go, and releases every thread.
 *
 * <h2>Threads</h2>
 * Every send, presence and kick method may be called from any thread and never blocks.
 * In cluster mode sends also reach the other nodes; the returned count is this node's.
 *
 * <h2>Arguments</h2>
 * Every method checks its arguments before it does anything: a null one throws a
 * {@link NullPointerException} naming it, except where a parameter says null is allowed (a
 * send's {@code data}, a kick's {@code reason}, {@link #onUnhandled}'s handler). A client, user
 * or tag id is any non-null string ({@link Target}); a tag to join is also non-empty and at
 * most {@value io.wshub.protocol.Protocol#MAX_TAG_BYTES} bytes of UTF-8.
 *
 * <h2>History</h2>
 * Sends to users and tags that a {@link HistoryRule} names are appended to a stream and carry
 * their position on the wire (docs/history.md); clients recover what they missed after a
 * reconnect. There the {@code sendTo*} methods return the number of this node's connections the
 * message is for, and delivery may follow the return (it goes through the history store, in
 * stream order); {@link #publish} tells the position and fails when the store does.
 */
public interface WsHub extends AutoCloseable {

    /** Creates a hub configured by {@code config}; call {@link #start()} to listen. */
    static WsHub create(Consumer<WsConfig> config) {
        WsConfig cfg = new WsConfig();
        config.accept(cfg);
        return new RealHub(cfg);
    }

    /** Binds the port and starts serving; returns once ready to accept connections. */
    WsHub start();

    /** The bound port (the real one when configured with 0); -1 before start. */
    int port();

    /** This node's id (unique per node of a cluster). */
    String nodeId();

    /** Registers the handler of an event; it runs on the event loop and must not block. */
    WsHub on(String event, Handler handler);

    /** Registers a handler that may block; it runs on the worker pool. */
    WsHub onBlocking(String event, Handler handler);

    /**
     * Serves every event that has no handler of its own (the event proxy, docs/backend.md);
     * without one such events answer 404. Runs on the event loop and must not block: answer
     * later with {@link Context#async}.
     */
    WsHub onUnhandled(Handler handler);

    /** Adds a middleware; they run in the order added, around every handler. */
    WsHub use(Middleware middleware);

    /** Sees every decoded message before middleware (a middleware that always continues). */
    default WsHub onMessage(Handler listener) {
        return use((ctx, next) -> {
            listener.handle(ctx);
            next.run();
        });
    }

    /**
     * Receives every frame, text or binary, unchanged when the codec is {@code raw}
     * (GinSkeleton, the gin+gorilla chat tutorial); see {@link RawHandler} for threads and
     * {@link RawMessage} for the message. With the json or wsrv codec frames go to handlers instead.
     */
    WsHub onRaw(RawHandler handler);

    WsHub onConnect(ConnectListener listener);

    WsHub onClose(CloseListener listener);

    WsHub onError(ErrorListener listener);

    /** Told of every join and quit, whoever made it (the client, Java code or the HTTP API). */
    WsHub onTagChange(TagListener listener);

    /**
     * @param data any value Jackson can write, or null
     * @return connections of this node that got the message (0 or 1)
     * @throws NullPointerException when {@code clientId} or {@code event} is null
     */
    int sendToClient(String clientId, String event, Object data);

    /** Sends to every connection (device) of a user. */
    int sendToUser(String userId, String event, Object data);

    int sendToTag(String tag, String event, Object data);

    int sendToAll(String event, Object data);

    /**
     * Sends to {@code target} on every node; completes with the connections reached here plus
     * those the cluster presence knows of elsewhere (what the HTTP API answers as delivered).
     */
    CompletionStage<Integer> send(Target target, String event, Object data);

    /**
     * {@link #send}, also telling where the message went in its target's history stream
     * (docs/history.md). On a target without history the result has no stream or position. On
     * one with history the message is appended to the stream and delivered, with its position,
     * to every node in stream order; when the history store fails (Redis down) this node's
     * connections still get it live, and the stage fails with a {@link WsException} 503.
     */
    CompletionStage<SendResult> publish(Target target, String event, Object data);

    /**
     * The kept messages of a user's or tag's stream after offset {@code since} (0: all kept),
     * oldest first, at most {@code limit}, with the stream's current position. Fails with a
     * {@link WsException} 404 when no history rule names {@code target}.
     */
    CompletionStage<io.wshub.cluster.StreamSlice> history(Target target, long since, int limit);

    /** Drops a user's or tag's stream; its next message starts a new epoch (clients recovering from the old one get {@code recovered: false}). */
    CompletionStage<Void> removeHistory(Target target);

    /**
     * Sends one frame of {@code type} carrying {@code payload} as given (no envelope) to
     * {@code target} on every node, whatever the codec; completes like {@link #send}. A text
     * payload must be valid UTF-8.
     */
    CompletionStage<Integer> sendRaw(Target target, FrameType type, byte[] payload);

    /** A connection of this node. */
    Optional<Connection> connection(String clientId);

    CompletionStage<Page<ClientInfo>> clients(ClientQuery query);

    CompletionStage<List<UserCount>> users();

    CompletionStage<List<TagCount>> tags();

    /**
     * Kicks one client wherever it is connected; completes with how many were kicked.
     *
     * @param reason sent in the {@code kick} event and the close frame; null for none
     * @throws NullPointerException when {@code clientId} is null
     */
    CompletionStage<Integer> kickClient(String clientId, String reason);

    /**
     * Kicks every connection of a user across the cluster.
     *
     * @param reason as for {@link #kickClient}; null for none
     * @throws NullPointerException when {@code userId} is null
     */
    CompletionStage<Integer> kickUser(String userId, String reason);

    /**
     * Server-side join (docs/backend.md): every connection {@code target} names, on every node,
     * joins {@code tag}, whatever the join policy says. Completes with how many connections it
     * reached (as {@link #kickClient} counts). Targets: a client or a user.
     *
     * @throws IllegalArgumentException for an empty tag
     */
    CompletionStage<Integer> join(Target target, String tag);

    /** The reverse of {@link #join}: those connections leave {@code tag}. */
    CompletionStage<Integer> quit(Target target, String tag);

    CompletionStage<HubStats> stats();

    /**
     * Every live node's own counters and message rates ({@code GET /api/nodes}), sorted by
     * node id; this node's record is fresh, the others' as of their last heartbeat. Without
     * a cluster, or with a presence that shares no stats, the list holds this node alone.
     */
    CompletionStage<List<NodeStats>> nodeStats();

    /** The registry holding wshub's meters (served at {@code /metrics}). */
    MeterRegistry meterRegistry();

    /** True between a successful start and the beginning of close. */
    boolean isAccepting();

    /**
     * Stops accepting, sends close 1001 to every client and waits for them to go, at most the
     * drain timeout, then stops every thread. Blocks: call it from an application thread, not
     * from a handler or listener (they run on the threads it waits for). Idempotent.
     */
    @Override
    void close();
}

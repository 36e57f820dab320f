package io.wshub.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.client.ClientState;
import io.wshub.client.CloseInfo;
import io.wshub.client.Registration;
import io.wshub.client.ServerMessage;
import io.wshub.client.WsHubClient;
import io.wshub.client.WsHubClientException;
import io.wshub.client.WsHubClientException.Kind;

import java.io.IOException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client's state machine. Every field below the "client thread only" line is touched by
 * the client thread alone; public methods hop onto it, so no lock is needed anywhere.
 */
public final class RealClient implements WsHubClient {
    private static final Set<Integer> NO_RECONNECT = Set.of(CloseInfo.KICKED, CloseInfo.POLICY);
    /** Closes that mean "the server shed load": the attempt count keeps growing across them. */
    private static final Set<Integer> LOAD_SHED = Set.of(CloseInfo.SLOW_CONSUMER, CloseInfo.RATE_LIMITED);
    /** A refresh no sooner than this, so a supplier of (nearly) expired tokens cannot make it spin. */
    private static final long MIN_REFRESH_WAIT_MS = 1000;

    private final ClientOptions options;
    private final ClientThread thread;
    private final Listeners listeners = new Listeners();
    private final Set<String> tagSet = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

    // Read from any thread, written on the client thread.
    private volatile ClientState state = ClientState.IDLE;
    private volatile String clientId;
    private volatile String userId;

    // ---- client thread only ----
    private Session session;
    private final ArrayDeque<Outgoing> offline = new ArrayDeque<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final List<CompletableFuture<WsHubClient>> openWaiters = new ArrayList<>();
    private long seq;
    private int attempt;
    private boolean kicked;
    private String token;
    private ScheduledFuture<?> reconnectTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private ScheduledFuture<?> refreshTimer;
    /** The session close() is shutting and what completes when its close frame comes back. */
    private Session closing;
    private CompletableFuture<Void> closingDone;

    /** {@code data} is a tree already: anything Jackson cannot write failed in the caller's thread. */
    private record Outgoing(String event, JsonNode data, String seqno) {}

    private record Pending(String event, CompletableFuture<ServerMessage> future, ScheduledFuture<?> timer) {}

    public RealClient(ClientOptions options) {
        this.options = options;
        this.thread = new ClientThread();
    }

    // ---- public API: hop onto the client thread ---------------------------------------------

    @Override
    public CompletableFuture<WsHubClient> connect() {
        CompletableFuture<WsHubClient> opened = new CompletableFuture<>();
        if (!thread.run(() -> start(opened))) {
            opened.completeExceptionally(closedError(null));
        }
        return opened;
    }

    @Override
    public boolean send(String event, Object data) {
        JsonNode tree = tree(data);
        ClientState now = state;
        if (now == ClientState.CLOSED || now == ClientState.IDLE) return false;
        return thread.run(() -> {
            if (!submit(new Outgoing(event, tree, null))) {
                listeners.error(WsHubClientException.of(Kind.QUEUE_FULL, event, event + ": dropped, offline queue or outbound buffer is full"));
            }
        });
    }

    @Override
    public CompletableFuture<JsonNode> request(String event, Object data) {
        return request(event, data, options.requestTimeout());
    }

    @Override
    public <T> CompletableFuture<T> request(String event, Object data, Class<T> type) {
        return request(event, data).thenApply(node -> {
            try {
                return options.mapper().treeToValue(node, type);
            } catch (IOException e) {
                throw new CompletionException(WsHubClientException.of(Kind.BAD_MESSAGE, event,
                        event + ": reply does not fit " + type.getSimpleName() + ": " + e.getMessage()));
            }
        });
    }

    @Override
    public CompletableFuture<JsonNode> request(String event, Object data, Duration timeout) {
        return call(event, data, timeout).thenApply(ServerMessage::data);
    }

    @Override
    public CompletableFuture<List<String>> join(String tag) {
        tagSet.add(tag);
        return call("join", idOf(tag), options.requestTimeout()).handle((reply, error) -> {
            if (error != null) {
                if (cause(error) instanceof WsHubClientException e && e.kind() == Kind.SERVER_ERROR) {
                    tagSet.remove(tag);
                }
                throw new CompletionException(cause(error));
            }
            return tags(reply.data());
        });
    }

    @Override
    public CompletableFuture<List<String>> quit(String tag) {
        tagSet.remove(tag);
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        boolean ran = thread.run(() -> {
            dropQueuedJoins(tag);
            if (state != ClientState.OPEN) {
                result.complete(tags());
                return;
            }
            request0("quit", idOf(tag), options.requestTimeout()).whenComplete((reply, error) -> {
                if (error != null) result.completeExceptionally(cause(error));
                else result.complete(tags(reply.data()));
            });
        });
        if (!ran) result.complete(tags());
        return result;
    }

    @Override public Registration on(String event, Consumer<ServerMessage> handler) { return listeners.on(event, handler); }

    @Override
    public <T> Registration on(String event, Class<T> type, Consumer<? super T> handler) {
        return listeners.on(event, msg -> {
            T value;
            try {
                value = options.mapper().treeToValue(msg.data(), type);
            } catch (IOException e) {
                listeners.error(WsHubClientException.of(Kind.BAD_MESSAGE, event,
                        event + ": data does not fit " + type.getSimpleName() + ": " + e.getMessage()));
                return;
            }
            handler.accept(value);
        });
    }

    @Override public Registration onOpen(Consumer<Integer> l) { return Listeners.add(listeners.open, l); }
    @Override public Registration onClose(Consumer<CloseInfo> l) { return Listeners.add(listeners.close, l); }
    @Override public Registration onKick(Consumer<String> l) { return Listeners.add(listeners.kick, l); }
    @Override public Registration onError(Consumer<Throwable> l) { return Listeners.add(listeners.error, l); }
    @Override public ClientState state() { return state; }
    @Override public String clientId() { return clientId; }
    @Override public String userId() { return userId; }

    @Override
    public List<String> tags() {
        synchronized (tagSet) {
            return List.copyOf(tagSet);
        }
    }

    @Override
    public void close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        if (!thread.run(() -> stop(closed))) {
            return;
        }
        if (!thread.isCurrent()) {
            try {
                // 1 s: a healthy server echoes the close frame within a round trip.
                closed.get(1, TimeUnit.SECONDS);
            } catch (Exception e) { // timed out or interrupted: abort below
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            }
        }
        thread.run(() -> {
            if (closing != null && closing.socket != null) closing.socket.abort();
            closing = null;
        });
        thread.shutdown();
    }

    // ---- client thread: connecting -----------------------------------------------------------

    private void start(CompletableFuture<WsHubClient> opened) {
        if (state == ClientState.OPEN) {
            opened.complete(this);
            return;
        }
        openWaiters.add(opened);
        if (state == ClientState.IDLE || state == ClientState.CLOSED) {
            kicked = false;
            attempt = 0;
            cancel(reconnectTimer);
            connectNow();
        }
    }

    private void connectNow() {
        state = attempt == 0 ? ClientState.CONNECTING : ClientState.RECONNECTING;
        Session s = new Session(this, thread, options.maxMessageChars());
        session = s;
        CompletableFuture.supplyAsync(() -> options.tokens() == null ? null : options.tokens().get())
                .whenCompleteAsync((t, error) -> {
                    if (session != s) return;
                    if (error != null) {
                        listeners.error(cause(error));
                        lost(s, 0, "token supplier failed: " + cause(error).getMessage(), true);
                        return;
                    }
                    token = t;
                    WebSocket.Builder b = options.http().newWebSocketBuilder().connectTimeout(options.connectTimeout());
                    if (t != null) b.header("Authorization", "Bearer " + t);
                    b.buildAsync(options.uri(), s).whenCompleteAsync((ws, failure) -> {
                        if (failure != null) refused(s, cause(failure));
                    }, thread);
                }, thread);
    }

    /** The upgrade failed: a 401/403 with a fixed token (or none) would only fail again. */
    private void refused(Session s, Throwable failure) {
        if (session != s) return;
        int status = failure instanceof WebSocketHandshakeException h ? h.getResponse().statusCode() : 0;
        listeners.error(failure);
        boolean fixedToken = options.staticToken() || options.tokens() == null;
        boolean retry = !(fixedToken && (status == 401 || status == 403));
        lost(s, 0, status == 0 ? String.valueOf(failure.getMessage()) : "upgrade refused with HTTP " + status, retry);
    }

    void opened(Session s, WebSocket ws) {
        if (session != s || state == ClientState.CLOSED) {
            ws.abort();
            return;
        }
        s.socket = ws;
        s.outbox = new Outbox(ws, thread, options.outboundBufferBytes());
        s.openedAtNanos = s.lastReceivedNanos = System.nanoTime();
        state = ClientState.OPEN;
        ws.request(1);
        armHeartbeat(options.heartbeatInterval().toMillis());
        armRefresh(true);
        // Tags first, so queued messages that assume them find them joined.
        List<Outgoing> queued = new ArrayList<>(offline);
        offline.clear();
        Set<String> queuedJoins = new HashSet<>();
        for (Outgoing o : queued) {
            if (o.event.equals("join")) queuedJoins.add(o.data.path("id").asText());
        }
        for (String tag : tags()) {
            if (!queuedJoins.contains(tag)) {
                request0("join", idOf(tag), options.requestTimeout()).exceptionally(e -> {
                    listeners.error(cause(e));
                    return null;
                });
            }
        }
        for (Outgoing o : queued) write(o);
        int n = attempt;
        List<CompletableFuture<WsHubClient>> waiters = new ArrayList<>(openWaiters);
        openWaiters.clear();
        waiters.forEach(w -> w.complete(this));
        listeners.fire(listeners.open, n);
    }

    void received(Session s, String text) {
        if (session != s) return;
        s.lastReceivedNanos = System.nanoTime();
        if (text.isEmpty()) return; // a wsrv heartbeat frame
        ServerMessage msg;
        try {
            msg = options.codec().decode(options.mapper().readTree(text));
        } catch (IOException | IllegalArgumentException e) {
            listeners.error(WsHubClientException.of(Kind.BAD_MESSAGE, null,
                    "unparseable message: " + text.substring(0, Math.min(100, text.length()))));
            return;
        }
        Pending p = msg.seqno() == null ? null : pending.get(msg.seqno());
        if (p != null && p.event.equals(msg.event())) {
            settle(msg.seqno(), msg.ok() ? null : serverError(msg), msg);
            return;
        }
        if (!msg.ok()) {
            listeners.error(serverError(msg));
            return;
        }
        switch (msg.event()) {
            case "connected" -> {
                clientId = text(msg.data().get("id"));
                userId = text(msg.data().get("userId"));
            }
            case "kick" -> {
                kicked = true;
                listeners.fire(listeners.kick, msg.data().path("reason").asText("kicked"));
            }
            default -> { }
        }
        listeners.dispatch(msg);
    }

    void alive(Session s) {
        if (session == s) s.lastReceivedNanos = System.nanoTime();
    }

    void closed(Session s, int code, String reason) {
        if (s == closing) {
            closingDone.complete(null);
            return;
        }
        if (session != s) return;
        if (code == CloseInfo.KICKED && !kicked) {
            kicked = true;
            listeners.fire(listeners.kick, reason == null || reason.isEmpty() ? "kicked" : reason);
        }
        if (s.socket != null && !LOAD_SHED.contains(code)
                && System.nanoTime() - s.openedAtNanos >= options.backoff().resetAfter().toNanos()) {
            attempt = 0;
        }
        lost(s, code, reason == null ? "" : reason, shouldReconnect(code));
    }

    private boolean shouldReconnect(int code) {
        if (!options.reconnect() || kicked || NO_RECONNECT.contains(code)) return false;
        // An expired fixed token would only be refused again.
        return code != CloseInfo.TOKEN_EXPIRED || !options.staticToken();
    }

    /** The current session is gone: fail what was sent on it, then reconnect or stop. */
    private void lost(Session s, int code, String reason, boolean reconnect) {
        session = null;
        if (s.socket != null) s.socket.abort();
        cancel(heartbeatTimer);
        cancel(refreshTimer);
        clientId = null;
        Set<String> queued = new HashSet<>();
        for (Outgoing o : offline) if (o.seqno != null) queued.add(o.seqno);
        failPending(WsHubClientException.of(Kind.DISCONNECTED, null, "connection lost before the reply"), queued);
        if (!reconnect) {
            halt(code, reason);
            return;
        }
        state = ClientState.RECONNECTING;
        listeners.fire(listeners.close, new CloseInfo(code, reason, true));
        // Token expiry after a good connection is not a failure: come back at once with a fresh token.
        long delay = code == CloseInfo.TOKEN_EXPIRED && attempt == 0 ? 0
                : options.backoff().delay(attempt, ThreadLocalRandom.current()::nextDouble).toMillis();
        attempt++;
        reconnectTimer = thread.schedule(this::connectNow, delay);
    }

    /** Stops in CLOSED: everything waiting fails, nothing is queued any more. */
    private void halt(int code, String reason) {
        state = ClientState.CLOSED;
        cancel(reconnectTimer);
        WsHubClientException closed = closedError(null);
        offline.clear();
        failPending(closed, Set.of());
        List<CompletableFuture<WsHubClient>> waiters = new ArrayList<>(openWaiters);
        openWaiters.clear();
        waiters.forEach(w -> w.completeExceptionally(closed));
        listeners.fire(listeners.close, new CloseInfo(code, reason, false));
    }

    private void stop(CompletableFuture<Void> closed) {
        Session s = session;
        session = null;
        cancel(heartbeatTimer);
        cancel(refreshTimer);
        if (state != ClientState.CLOSED) halt(CloseInfo.NORMAL, "client closed");
        if (s == null || s.socket == null) {
            closed.complete(null);
            return;
        }
        closing = s;
        closingDone = closed;
        s.socket.sendClose(CloseInfo.NORMAL, "client closed").whenComplete((ws, e) -> {
            if (e != null) closed.complete(null);
        });
    }

    // ---- client thread: sending ---------------------------------------------------------------

    private CompletableFuture<ServerMessage> call(String event, Object data, Duration timeout) {
        CompletableFuture<ServerMessage> reply = new CompletableFuture<>();
        JsonNode tree = tree(data);
        if (!thread.run(() -> request0(event, tree, timeout).whenComplete((m, e) -> {
            if (e != null) reply.completeExceptionally(cause(e));
            else reply.complete(m);
        }))) {
            reply.completeExceptionally(closedError(event));
        }
        return reply;
    }

    private CompletableFuture<ServerMessage> request0(String event, JsonNode data, Duration timeout) {
        String seqno = Long.toString(++seq);
        CompletableFuture<ServerMessage> future = new CompletableFuture<>();
        ScheduledFuture<?> timer = thread.schedule(() -> {
            offline.removeIf(o -> seqno.equals(o.seqno));
            settle(seqno, WsHubClientException.of(Kind.TIMEOUT, event,
                    event + ": no reply within " + timeout.toMillis() + " ms"), null);
        }, timeout.toMillis());
        pending.put(seqno, new Pending(event, future, timer));
        if (!submit(new Outgoing(event, data, seqno))) {
            settle(seqno, state == ClientState.CLOSED || state == ClientState.IDLE ? closedError(event)
                    : WsHubClientException.of(Kind.QUEUE_FULL, event, event + ": offline queue or outbound buffer is full"), null);
        }
        return future;
    }

    private boolean submit(Outgoing o) {
        if (state == ClientState.OPEN) return write(o);
        if (state == ClientState.CLOSED || state == ClientState.IDLE) return false;
        // A join is never dropped: its tag is joined on open anyway, so its future must settle.
        if (!o.event.equals("join") && offline.stream().filter(q -> !q.event.equals("join")).count() >= options.queueLimit()) {
            return false;
        }
        offline.add(o);
        return true;
    }

    private boolean write(Outgoing o) {
        String text;
        try {
            text = options.codec().encode(options.mapper(), o.event, o.data, o.seqno);
        } catch (IOException e) { // a JsonNode always writes; only a broken mapper gets here
            listeners.error(e);
            return false;
        }
        return session != null && session.outbox.send(text);
    }

    private void dropQueuedJoins(String tag) {
        for (Iterator<Outgoing> it = offline.iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.event.equals("join") && tag.equals(o.data.path("id").asText())) {
                it.remove();
                settle(o.seqno, WsHubClientException.of(Kind.CLOSED, "join", "join " + tag + ": cancelled by quit"), null);
            }
        }
    }

    private void settle(String seqno, WsHubClientException error, ServerMessage reply) {
        Pending p = pending.remove(seqno);
        if (p == null) return;
        cancel(p.timer);
        if (error != null) p.future.completeExceptionally(error);
        else p.future.complete(reply);
    }

    private void failPending(WsHubClientException error, Set<String> except) {
        for (String seqno : new ArrayList<>(pending.keySet())) {
            if (!except.contains(seqno)) settle(seqno, error, null);
        }
    }

    // ---- client thread: heartbeat and refresh -----------------------------------------------

    private void armHeartbeat(long delayMs) {
        if (options.heartbeatInterval().isZero()) return;
        heartbeatTimer = thread.schedule(this::heartbeat, delayMs);
    }

    private void heartbeat() {
        Session s = session;
        if (s == null || s.socket == null) return;
        long interval = options.heartbeatInterval().toMillis();
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.lastReceivedNanos);
        if (idle < interval) {
            armHeartbeat(interval - idle);
            return;
        }
        request0("ping", null, options.heartbeatTimeout()).whenComplete((reply, error) -> {
            if (error instanceof WsHubClientException e && e.kind() == Kind.TIMEOUT && session == s) {
                closed(s, CloseInfo.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            }
        });
        armHeartbeat(interval);
    }

    private void armRefresh(boolean first) {
        Instant exp = Jwts.expiry(options.mapper(), token);
        if (options.staticToken() || options.tokens() == null || options.refreshBeforeExpiry().isZero() || exp == null) return;
        long untilExp = exp.toEpochMilli() - System.currentTimeMillis();
        long wait = untilExp - options.refreshBeforeExpiry().toMillis();
        // The first refresh of a connection may go at once (a slow upgrade ate the margin);
        // later ones not sooner than a second (or half the time left), so a supplier of
        // short-lived tokens cannot make refreshes spin.
        long floor = first ? 0 : Math.max(0, Math.min(MIN_REFRESH_WAIT_MS, untilExp / 2));
        Session s = session;
        refreshTimer = thread.schedule(() -> refresh(s, exp), Math.max(floor, wait));
    }

    private void refresh(Session s, Instant exp) {
        CompletableFuture.supplyAsync(options.tokens()).thenComposeAsync(fresh -> {
            if (session != s) return CompletableFuture.completedFuture(null);
            return request0("refresh", options.mapper().createObjectNode().put("token", fresh), options.requestTimeout()).thenApply(reply -> {
                token = fresh;
                // A token no later than the old one (a cached supplier) would refresh every
                // second until exp: stop; the server's 4001 then reconnects with a fresh one.
                Instant next = Jwts.expiry(options.mapper(), fresh);
                if (next != null && next.isAfter(exp) && session == s) armRefresh(false);
                return reply;
            });
        }, thread).exceptionally(e -> {
            listeners.error(cause(e)); // the server closes with 4001 at exp; we reconnect then
            return null;
        });
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) timer.cancel(false);
    }

    private static WsHubClientException serverError(ServerMessage msg) {
        String text = msg.message() != null ? msg.message() : "error " + msg.code();
        return new WsHubClientException(Kind.SERVER_ERROR, msg.code(), msg.event(), msg.event() + ": " + text);
    }

    private static WsHubClientException closedError(String event) {
        return WsHubClientException.of(Kind.CLOSED, event, "client is closed");
    }

    private static Throwable cause(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }

    private JsonNode tree(Object data) {
        return data == null ? null : options.mapper().valueToTree(data);
    }

    private JsonNode idOf(String tag) {
        return options.mapper().createObjectNode().put("id", tag);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private List<String> tags(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

package io.wshub.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wshub.Connection;
import io.wshub.WsHub;
import io.wshub.cluster.OnlineUsers;
import io.wshub.proxy.Backend;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed, asynchronous webhooks (docs/backend.md "Webhooks"): {@code connect}, {@code
 * disconnect}, {@code join}, {@code quit} from this node, and cluster-wide {@code user.online}
 * / {@code user.offline} decided by {@link OnlineUsers}. Each webhook waits in a bounded queue
 * (full = dropped and counted), is POSTed through the shared {@link Backend} (so it carries the
 * same signature as the proxies), and is retried with doubling backoff before it is dropped.
 * Webhooks may arrive out of order; each has a unique {@code id} and a {@code timestamp}.
 *
 * <p>Listeners only enqueue, so no event loop ever waits for a backend. One daemon thread
 * times retries and the offline sweep. Thread-safe.
 */
public final class Webhooks implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Webhook POSTs in flight at once: enough to keep up with connection churn on a local backend. */
    private static final int PARALLEL = 8;
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final WebhookOptions options;
    private final Backend backend;
    private final OnlineUsers online;
    private final BlockingQueue<Pending> queue;
    private final AtomicInteger sending = new AtomicInteger();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private volatile String nodeId;

    private record Pending(String type, byte[] body, int attempt) {}

    public Webhooks(WebhookOptions options, Backend backend, OnlineUsers online, MeterRegistry meters) {
        this.options = options;
        this.backend = backend;
        this.online = online;
        this.queue = new ArrayBlockingQueue<>(options.queueLimit());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("wshub-webhooks", true));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.droppedFull = Counter.builder("wshub.webhooks.dropped").tag("reason", "queue_full")
                .description("Webhooks not sent").register(meters);
        this.droppedFailed = Counter.builder("wshub.webhooks.dropped").tag("reason", "gave_up")
                .description("Webhooks not sent").register(meters);
    }

    /** Listens to {@code hub}'s connections and starts the offline sweep; call before {@code hub.start()}. */
    public Webhooks attach(WsHub hub) {
        nodeId = hub.nodeId();
        online.start(nodeId);
        hub.onConnect(this::connected);
        hub.onClose((conn, status) -> {
            ObjectNode body = base(Webhook.DISCONNECT, conn);
            body.put("code", status.code());
            if (status.reason() != null && !status.reason().isEmpty()) {
                body.put("reason", status.reason());
            }
            // The count first: a backend that got the webhook and asks who is online sees it.
            if (conn.userId() != null) {
                online.disconnected(conn.userId());
            }
            emit(body);
        });
        hub.onTagChange((conn, tag, joined) -> emit(base(joined ? Webhook.JOIN : Webhook.QUIT, conn).put("tag", tag)));
        long every = sweepEveryMillis(options.offlineGrace());
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Often enough that user.offline comes at most a quarter of the grace late; at most every second. */
    static long sweepEveryMillis(Duration grace) {
        return Math.max(50, Math.min(1000, grace.toMillis() / 4));
    }

    private void connected(Connection conn) {
        ObjectNode body = base(Webhook.CONNECT, conn);
        body.put("ip", conn.ip());
        body.put("userAgent", conn.userAgent());
        // Counted before the webhook leaves, as on close.
        CompletionStage<Boolean> first = conn.userId() == null ? null : online.connected(conn.userId());
        emit(body);
        if (first != null) {
            first.thenAccept(wasOffline -> {
                if (wasOffline) {
                    emit(user(Webhook.USER_ONLINE, conn.userId()));
                }
            });
        }
    }

    private void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        online.sweep(options.offlineGrace()).whenComplete((users, failure) -> {
            sweeping.set(false);
            if (users != null) {
                users.forEach(u -> emit(user(Webhook.USER_OFFLINE, u)));
            }
        });
    }

    private ObjectNode base(String type, Connection conn) {
        ObjectNode body = user(type, conn.userId());
        body.put("client", conn.id());
        return body;
    }

    private ObjectNode user(String type, String userId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", UUID.randomUUID().toString());
        body.put("type", type);
        body.put("timestamp", System.currentTimeMillis() / 1000);
        body.put("node", nodeId);
        body.put("user", userId);
        return body;
    }

    private void emit(ObjectNode body) {
        String type = body.path("type").asText();
        if (!options.types().contains(type)) {
            return;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
        enqueue(new Pending(type, bytes, 1));
    }

    private void enqueue(Pending p) {
        if (!queue.offer(p)) {
            droppedFull.increment();
            return;
        }
        pump();
    }

    /** Starts sends while fewer than {@link #PARALLEL} run. */
    private void pump() {
        while (true) {
            int n = sending.get();
            if (n >= PARALLEL || queue.isEmpty()) {
                return;
            }
            if (!sending.compareAndSet(n, n + 1)) {
                continue;
            }
            Pending p = queue.poll();
            if (p == null) {
                sending.decrementAndGet();
                return;
            }
            send(p);
        }
    }

    private void send(Pending p) {
        backend.post("webhook", p.type(), options.url(), options.timeout(), p.body(), null).whenComplete((ok, failure) -> {
            sending.decrementAndGet();
            if (failure != null) {
                retry(p);
            }
            pump();
        });
    }

    private void retry(Pending p) {
        if (p.attempt() >= options.maxAttempts()) {
            droppedFailed.increment();
            return;
        }
        long delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << (p.attempt() - 1));
        try {
            timer.schedule(() -> enqueue(new Pending(p.type(), p.body(), p.attempt() + 1)), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            droppedFailed.increment(); // closed
        }
    }

    /** Webhooks waiting to be sent (queued, not in flight or in backoff). */
    public int queued() {
        return queue.size();
    }

    /** Stops the sweep and retries and this node's liveness; webhooks still queued are dropped. */
    @Override
    public void close() {
        timer.shutdownNow();
        online.close();
    }
}

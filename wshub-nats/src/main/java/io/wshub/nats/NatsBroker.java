package io.wshub.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wshub.Target;
import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;
import io.wshub.redis.EnvelopeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Broker} over NATS core pub/sub (docs/cluster.md "NATS").
 *
 * <h2>Routing</h2>
 * One subject per target ({@link NatsSubjects}); a node subscribes to {@code all} and its own
 * node subject, and to a user or tag subject only while it has a connection for it. The bytes
 * are those of the Redis broker ({@link EnvelopeCodec}).
 *
 * <h2>Guarantees</h2>
 * At most once, as NATS core: a node that is disconnected when a message is published never
 * gets it. One publisher's messages on one subject arrive in order (one connection). The
 * connection is made with {@code noEcho}, so the server never sends a node its own messages.
 * {@link #publish} never blocks and never buffers without bound: it returns false at once
 * while the connection is not {@code CONNECTED} (nothing is kept for a reconnect) and when
 * jnats' outgoing queue holds {@value #OUTGOING_QUEUE} messages.
 *
 * <h2>Connecting and outages</h2>
 * The first connect runs on the broker's thread with backoff (250 ms doubling up to 10 s) and
 * one log line per failed attempt; the node serves its own connections meanwhile. After that
 * jnats reconnects by itself forever (every 250 ms, plus jitter) and re-sends every
 * subscription, so a restarted nats-server is healed without help. A PING every 5 s, 2 of them
 * unanswered, notices a silent cut within about 10 s.
 *
 * <h2>Threads</h2>
 * {@link #subscribe}/{@link #unsubscribe} count on the caller's thread and hand the change to
 * the broker's thread ({@code wshub-nats}), which alone touches the subscriptions; envelopes
 * reach the sink on jnats' dispatcher thread.
 */
public final class NatsBroker implements Broker {
    static final Logger log = LoggerFactory.getLogger("io.wshub.nats");
    // 10,000 messages: a few seconds of heavy cross-node traffic; past it NATS is not keeping
    // up and the hub should count failures rather than this node growing its heap.
    static final int OUTGOING_QUEUE = 10_000;
    private static final long FIRST_RETRY_MILLIS = 250;
    // 2 s: a round trip to a healthy NATS takes well under a millisecond; past this the hub
    // should not hold up a connection's first event any longer.
    static final long FLUSH_TIMEOUT_MILLIS = 2000;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final String url;
    private final NatsSubjects subjects;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wshub-nats", true));
    /** Subject -> subscribe calls minus unsubscribe calls; present only while positive. */
    private final Map<String, Integer> wanted = new ConcurrentHashMap<>();
    /** Callers of whenSubscribed waiting for the next PING round trip. Broker thread only. */
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** Subjects subscribed on the dispatcher. Broker thread only. */
    private final Set<String> active = new HashSet<>();
    // Set once on the broker's thread when the first connect succeeds; read from any thread.
    private volatile Connection connection;
    /** Broker thread only. */
    private Dispatcher dispatcher;
    private volatile String nodeId;
    private volatile Sink sink;
    private volatile boolean closed;
    /** An outage was logged and the connection is not back yet; set on jnats' listener threads. */
    private volatile boolean lost;

    NatsBroker(String url, String prefix) {
        new Options.Builder().server(url).build(); // a bad URL fails here, not at every connect attempt
        this.url = url;
        this.subjects = new NatsSubjects(prefix);
    }

    @Override
    public void start(String nodeId, Sink sink) {
        this.nodeId = nodeId;
        this.sink = sink;
        add(subjects.subject(Target.ALL));
        add(subjects.node(nodeId));
        executor.execute(() -> connect(1));
    }

    @Override
    public void subscribe(Target target) {
        add(subjects.subject(target));
    }

    @Override
    public void unsubscribe(Target target) {
        String subject = subjects.subject(target);
        boolean[] last = {false};
        wanted.computeIfPresent(subject, (s, n) -> {
            last[0] = n == 1;
            return last[0] ? null : n - 1;
        });
        if (last[0]) {
            run(() -> sync(subject));
        }
    }

    /**
     * Completes once sends to {@code target} published from now on, on any node, reach this
     * node: NATS applies a SUB before the PING sent after it, so one PING round trip after the
     * SUB left proves it (waiters of one moment share one round trip). Completes at once while
     * the connection is down, and after {@value #FLUSH_TIMEOUT_MILLIS} ms at the latest. Any
     * thread; never blocks (the round trip runs on the broker's thread).
     */
    public CompletionStage<Void> whenSubscribed(Target target) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (subjects.subject(target) == null) {
            done.complete(null);
            return done;
        }
        // Queued behind the sync that subscribe() queued: the SUB is written before the PING.
        run(() -> {
            waiting.add(done);
            if (waiting.size() == 1) {
                run(this::flushWaiting);
            }
        });
        return done;
    }

    /** Broker thread: one PING round trip for everyone waiting, then they are all subscribed. */
    private void flushWaiting() {
        List<CompletableFuture<Void>> now = new ArrayList<>(waiting);
        waiting.clear();
        Connection c = connection;
        try {
            if (c != null && c.getStatus() == Connection.Status.CONNECTED) {
                c.flush(Duration.ofMillis(FLUSH_TIMEOUT_MILLIS));
            }
        } catch (TimeoutException | RuntimeException e) {
            log.debug("node {}: nats flush after a subscribe: {}", nodeId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        now.forEach(f -> f.complete(null));
    }

    private void add(String subject) {
        if (wanted.merge(subject, 1, Integer::sum) == 1) {
            run(() -> sync(subject));
        }
    }

    @Override
    public boolean publish(Envelope envelope) {
        String subject = subjects.subject(envelope.target());
        if (subject == null) {
            return true; // a client id that names no node: there is nobody to reach
        }
        Connection c = connection;
        if (c == null || c.getStatus() != Connection.Status.CONNECTED) {
            return false;
        }
        try {
            c.publish(subject, EnvelopeCodec.encode(envelope));
            return true;
        } catch (IllegalStateException full) {
            return false; // outgoing queue full, or the connection dropped this instant
        }
    }

    /** Broker thread: make the dispatcher's subscription of {@code subject} match what is wanted. */
    private void sync(String subject) {
        if (dispatcher == null) {
            return; // subscribed when the connection comes
        }
        if (wanted.containsKey(subject)) {
            if (active.add(subject)) {
                dispatcher.subscribe(subject);
            }
        } else if (active.remove(subject)) {
            dispatcher.unsubscribe(subject);
        }
    }

    private void connect(int attempt) {
        if (closed) {
            return;
        }
        try {
            Connection c = Nats.connect(options());
            connection = c;
            dispatcher = c.createDispatcher(this::receive);
            wanted.keySet().forEach(this::sync);
            log.info("node {} joined the cluster at {}", nodeId, url);
        } catch (IOException | RuntimeException e) {
            long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 10));
            log.warn("node {}: nats {} not reachable, attempt {} ({}); serving this node's connections only, next attempt in {} ms",
                    nodeId, url, attempt, e.getMessage(), delay);
            schedule(() -> connect(attempt + 1), delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    private Options options() {
        return new Options.Builder()
                .server(url)
                .connectionName("wshub-" + nodeId)
                .noEcho()
                .connectionTimeout(Duration.ofSeconds(2))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .reconnectBufferSize(0) // publish fails while disconnected instead of queueing
                .maxMessagesInOutgoingQueue(OUTGOING_QUEUE)
                .discardMessagesWhenOutgoingQueueFull()
                .pingInterval(Duration.ofSeconds(5))
                .maxPingsOut(2)
                .connectionListener(this::connectionEvent)
                .errorListener(new QuietErrors())
                .build();
    }

    private void receive(Message message) {
        Envelope envelope;
        try {
            envelope = EnvelopeCodec.decode(message.getData());
        } catch (IllegalArgumentException e) {
            log.warn("node {}: dropped a message on {} that is not a wshub envelope: {}",
                    nodeId, message.getSubject(), e.getMessage());
            return;
        }
        if (nodeId.equals(envelope.origin())) {
            return;
        }
        try {
            sink.deliver(envelope);
        } catch (RuntimeException e) {
            log.warn("node {}: delivering {} from {} failed: {}", nodeId, envelope.target(), envelope.origin(), e.toString());
        }
    }

    private void connectionEvent(Connection c, ConnectionListener.Events event) {
        if (closed || connection == null) {
            return; // a failed first connect is logged by connect()
        }
        // jnats reports DISCONNECTED again after every failed reconnect attempt: log the outage once.
        switch (event) {
            case DISCONNECTED -> {
                if (!lost) {
                    lost = true;
                    log.warn("node {}: lost nats {}; local delivery goes on, cross-node sends fail until it returns", nodeId, url);
                }
            }
            case RECONNECTED -> {
                lost = false;
                log.info("node {}: nats {} is back", nodeId, url);
            }
            default -> { }
        }
    }

    /** jnats reports failed reconnects as exceptions: one DEBUG line each, the outage is logged once above. */
    private final class QuietErrors implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            log.warn("node {}: nats {} reported: {}", nodeId, url, error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            log.debug("node {}: nats {}: {}", nodeId, url, exp.toString());
        }

        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            log.warn("node {}: nats {}: this node is a slow consumer, messages are being dropped", nodeId, url);
        }
    }

    private void run(Runnable task) {
        schedule(task, 0);
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed: nothing is left to do
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
            Connection c = connection;
            if (c != null) {
                c.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

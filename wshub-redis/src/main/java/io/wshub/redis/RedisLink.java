package io.wshub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two Redis connections a node shares between its {@link RedisBroker} and
 * {@link RedisPresence}: one for commands (publish, presence), one for subscriptions.
 *
 * <h2>Connecting</h2>
 * The first connect happens on {@link #start}, on the link's thread, retried with backoff
 * (250 ms doubling up to 10 s) and one log line per failed attempt. After that Lettuce
 * reconnects by itself (100 ms doubling up to 2 s, so a returning Redis is found within about
 * 2 s) and resubscribes; the up-listeners then run again so presence is republished.
 *
 * <h2>Never blocking, bounded buffering</h2>
 * Both connections reject commands while Lettuce knows them disconnected
 * ({@code REJECT_COMMANDS}) instead of queueing them. A command that gets no answer fails its
 * future after 5 s, but Lettuce keeps it (and its bytes) until Redis answers or the connection
 * drops; Lettuce's queue is therefore capped at {@value #REQUEST_QUEUE_SIZE} commands per
 * connection (past it commands fail at once), and the broker caps the bytes of its publishes.
 * The handshake of a (re)connect also gives up after 5 s, so a hung Redis does not hold up the
 * startup retries or {@code close()}.
 *
 * <h2>Noticing a dead or hung Redis</h2>
 * A network cut that Redis never reports is found by TCP keep-alive (first probe after 5 s
 * idle, then every 2 s, 3 probes) and, on epoll, by a TCP user timeout of 15 s for unanswered
 * writes. A Redis that keeps its connections but stops answering (hung, SIGSTOP) is found by a
 * PING on the command connection every third of the presence TTL: after two PINGs in a row
 * without an answer the link counts as down ({@link #commands()} returns null, so publishes
 * return false), both connections are closed and connected anew with the startup retries.
 *
 * <h2>Threads</h2>
 * One daemon thread, {@code wshub-redis}, runs connects, subscription changes and presence
 * writes, so they never run on event loops and happen in order. Lettuce's own threads (two
 * I/O, two computation) complete futures and deliver messages.
 */
final class RedisLink implements PresenceLink {
    static final Logger log = LoggerFactory.getLogger("io.wshub.redis");
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 10_000;
    // 5 s: long enough for a loaded Redis, short enough that a hung one fails commands
    // before many of them queue up.
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Commands Lettuce may hold per connection (sent and unanswered, or awaiting a reconnect). */
    static final int REQUEST_QUEUE_SIZE = 50_000;
    /** PINGs in a row without an answer after which the link counts as down and reconnects. */
    private static final int MAX_MISSED_PINGS = 2;
    /** The broker and the presence share the link. */
    static final int BROKER_AND_PRESENCE = 2;

    final RedisKeys keys;
    final RedisCluster.Options options;
    /** The link's single thread. */
    final ScheduledExecutorService executor;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final List<Runnable> commandsUp = new CopyOnWriteArrayList<>();
    private final List<Runnable> pubSubUp = new CopyOnWriteArrayList<>();
    private final List<Runnable> commandsDown = new CopyOnWriteArrayList<>();
    private final List<Runnable> pongs = new CopyOnWriteArrayList<>();
    private final long pingPeriodMillis;
    // Link thread only: the last PING sent and how many PINGs in a row went unanswered.
    private CompletableFuture<String> lastPing;
    private int missedPings;
    private boolean pinging;
    private final List<RedisPubSubListener<String, byte[]>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Holders not yet closed; the last to close releases the link. */
    private final AtomicInteger holders;
    /** How many holders start (and release) the link: connecting begins with the last start. */
    private final int holderCount;
    // Set once, on the link's thread, when the first connect succeeds; read from any thread.
    private volatile StatefulRedisConnection<String, byte[]> commands;
    private volatile StatefulRedisPubSubConnection<String, byte[]> pubSub;
    private volatile String nodeId;

    RedisLink(RedisURI uri, RedisCluster.Options options) {
        this(uri, options, BROKER_AND_PRESENCE);
    }

    /** A link with {@code holderCount} holders: 1 for a presence without a Redis broker (NATS). */
    RedisLink(RedisURI uri, RedisCluster.Options options, int holderCount) {
        this.holderCount = holderCount;
        this.holders = new AtomicInteger(holderCount);
        // The default (60 s) also bounds the handshake of every (re)connect: a hung Redis
        // would hold the link's thread, the startup retries and close() for a minute.
        uri.setTimeout(COMMAND_TIMEOUT);
        this.uri = uri;
        this.pingPeriodMillis = Math.max(1, options.presenceTtl().toMillis() / 3);
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wshub-redis", true));
        this.resources = newResources();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(clientOptions());
        client.addListener(new StateListener());
    }

    /** Two I/O and two computation threads; reconnects 100 ms doubling up to 2 s. */
    static ClientResources newResources() {
        return DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** The wait before startup attempt {@code attempt + 1}: 250 ms doubling up to 10 s. */
    static long retryDelay(int attempt) {
        return Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(attempt - 1, 10));
    }

    /**
     * Options of every Lettuce client of wshub (one Redis, Redis Cluster): reject commands
     * while disconnected, time them out after 5 s, bound the queue, find silent cuts.
     */
    static ClientOptions clientOptions() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        // The subscription connection never writes: only keep-alive notices a
                        // silent cut there. Idle/interval/count apply on epoll and on NIO with
                        // Java 11+; the user timeout applies on epoll only (ignored elsewhere).
                        .keepAlive(SocketOptions.KeepAliveOptions.builder()
                                .enable()
                                .idle(Duration.ofSeconds(5))
                                .interval(Duration.ofSeconds(2))
                                .count(3)
                                .build())
                        .tcpUserTimeout(SocketOptions.TcpUserTimeoutOptions.builder()
                                .enable()
                                .tcpUserTimeout(Duration.ofSeconds(15))
                                .build())
                        .build())
                .build();
    }

    /**
     * Called by the broker and the presence from their {@code start}; the second call starts
     * connecting, so both have registered their listeners before the first connection exists.
     */
    @Override
    public void start(String nodeId) {
        this.nodeId = nodeId;
        if (starts.incrementAndGet() == holderCount) {
            executor.execute(() -> connect(1));
        }
    }

    /** Adds a listener of the subscription connection; call before {@link #start}. */
    void listen(RedisPubSubListener<String, byte[]> listener) {
        listeners.add(listener);
    }

    /** Runs {@code r} on the link's thread after every (re)connect of the command connection. */
    @Override
    public void onCommandsUp(Runnable r) {
        commandsUp.add(r);
    }

    /** Runs {@code r} on the link's thread after every (re)connect of the subscription connection. */
    void onPubSubUp(Runnable r) {
        pubSubUp.add(r);
    }

    /** Runs {@code r} (on a Lettuce thread, so quickly) when the command connection drops. */
    void onCommandsDown(Runnable r) {
        commandsDown.add(r);
    }

    /**
     * Runs {@code r} (on a Lettuce thread) when a PING is answered: every command sent on the
     * command connection before that PING has had its answer, timed out or not.
     */
    void onPong(Runnable r) {
        pongs.add(r);
    }

    @Override public RedisKeys keys() { return keys; }
    @Override public RedisCluster.Options options() { return options; }
    @Override public ScheduledExecutorService executor() { return executor; }

    @Override
    public RedisClusterAsyncCommands<String, byte[]> async() {
        StatefulRedisConnection<String, byte[]> c = commands();
        return c == null ? null : c.async();
    }

    /** The command connection if it is open now, else null. */
    StatefulRedisConnection<String, byte[]> commands() {
        StatefulRedisConnection<String, byte[]> c = commands;
        return c != null && c.isOpen() ? c : null;
    }

    /** The subscription connection if it is open now, else null. */
    StatefulRedisPubSubConnection<String, byte[]> pubSub() {
        StatefulRedisPubSubConnection<String, byte[]> c = pubSub;
        return c != null && c.isOpen() ? c : null;
    }

    /**
     * Lettuce's computation threads: where query answers are decoded and combined, so neither
     * the I/O threads nor the link's thread (which may wait seconds on a connect) do it.
     */
    @Override
    public Executor computation() {
        return resources.eventExecutorGroup();
    }

    @Override
    public void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // The link is closing: nothing is left to do.
        }
    }

    /** Host and port, never the password. */
    @Override
    public String where() {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
    }

    private void connect(int attempt) {
        if (closed.get()) {
            return;
        }
        StatefulRedisConnection<String, byte[]> c = null;
        try {
            c = client.connect(CODEC);
            StatefulRedisPubSubConnection<String, byte[]> ps = client.connectPubSub(CODEC);
            listeners.forEach(ps::addListener);
            commands = c;
            pubSub = ps;
        } catch (RedisException e) {
            if (c != null) {
                c.closeAsync();
            }
            long delay = retryDelay(attempt);
            log.warn("node {}: redis {} not reachable, attempt {} ({}); serving this node's connections only, next attempt in {} ms",
                    nodeId, where(), attempt, rootMessage(e), delay);
            schedule(() -> connect(attempt + 1), delay);
            return;
        }
        log.info("node {} joined the cluster at {}", nodeId, where());
        lastPing = null;
        missedPings = 0;
        if (!pinging) {
            pinging = true;
            executor.scheduleWithFixedDelay(this::ping, pingPeriodMillis, pingPeriodMillis, TimeUnit.MILLISECONDS);
        }
        commandsUp.forEach(Runnable::run);
        pubSubUp.forEach(Runnable::run);
    }

    /**
     * Link thread, every third of the TTL: a PING on the command connection. Only while Lettuce
     * believes the connection open; when it knows better it reconnects by itself.
     */
    private void ping() {
        try {
            StatefulRedisConnection<String, byte[]> c = commands();
            if (c == null || closed.get()) {
                lastPing = null;
                missedPings = 0;
                return;
            }
            CompletableFuture<String> last = lastPing;
            if (last != null) {
                boolean answered = last.isDone() && !last.isCompletedExceptionally();
                missedPings = answered ? 0 : missedPings + 1;
                if (missedPings >= MAX_MISSED_PINGS) {
                    reconnect(c);
                    return;
                }
                if (!last.isDone()) {
                    return; // still waiting: no second PING behind the first
                }
            }
            CompletableFuture<String> sent = c.async().ping().toCompletableFuture();
            sent.thenRun(() -> pongs.forEach(Runnable::run));
            lastPing = sent;
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and go on.
            log.warn("node {}: redis ping failed: {}", nodeId, e.toString());
        }
    }

    /** Link thread: Redis stopped answering on a connection that looks open; start over. */
    private void reconnect(StatefulRedisConnection<String, byte[]> c) {
        log.warn("node {}: redis {} did not answer {} pings in a row; cross-node sends fail, reconnecting",
                nodeId, where(), missedPings);
        StatefulRedisPubSubConnection<String, byte[]> ps = pubSub;
        commands = null; // publishes fail from now on; the old connection's events are ignored
        pubSub = null;
        lastPing = null;
        missedPings = 0;
        commandsDown.forEach(Runnable::run);
        c.closeAsync(); // fails what it still holds: nothing waits for the hung Redis
        if (ps != null) {
            ps.closeAsync();
        }
        connect(1);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** Called by each holder once; the last one closes the connections and threads. */
    @Override
    public void release() {
        if (holders.decrementAndGet() > 0 || !closed.compareAndSet(false, true)) {
            return;
        }
        executor.shutdownNow();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /** Tells the holders about reconnects, and the log about disconnects. Runs on Lettuce's threads. */
    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            // The first connect is announced by connect(); these fields are still null then.
            if (connection == commands) {
                log.info("node {}: redis {} is back", nodeId, where());
                commandsUp.forEach(RedisLink.this::run);
            } else if (connection == pubSub) {
                pubSubUp.forEach(RedisLink.this::run);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == commands && !closed.get()) {
                commandsDown.forEach(Runnable::run);
                log.warn("node {}: lost redis {}; local delivery goes on, cross-node sends fail until it returns",
                        nodeId, where());
            }
        }
    }
}

package io.wshub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A node's connections to a Redis Cluster ({@link ClusteredRedis}), shared by its
 * {@link ClusterBroker} and {@link RedisPresence}.
 *
 * <ul>
 *   <li><b>Commands</b> (SPUBLISH, presence) go through Lettuce's cluster client, which routes
 *       each by the slot of its key or shard channel, follows MOVED, and keeps one connection
 *       per master.</li>
 *   <li><b>Subscriptions</b> are not Lettuce's cluster pub/sub connection: its connection to a
 *       slot's master stays bound to that address, so after a failover the channels are never
 *       moved to the promoted replica (measured, 6.5.5; 7.7.0 has the same code; see
 *       docs/cluster.md "Redis Cluster"). {@link ShardChannels} opens a plain pub/sub connection per master that
 *       owns a wanted channel, with the slot owners from the cluster client's {@link Partitions}.
 *       Those connections do not reconnect by themselves: a lost one is replaced on the slot's
 *       current master, so an old master that comes back never delivers twice.</li>
 *   <li><b>Topology</b>: refreshed every {@value #REFRESH_SECONDS} s, on MOVED/ASK and
 *       persistent reconnects (at most once per second), and whenever a subscription
 *       connection fails; each change re-homes subscriptions and republishes presence (a
 *       promoted replica may lack the last writes, replication being asynchronous).</li>
 * </ul>
 *
 * <p>Threads: as {@link RedisLink}, one daemon thread ({@code wshub-redis-cluster}) runs
 * connects, subscription changes and presence writes; Lettuce's threads complete futures and
 * deliver messages. The first connect is retried with the same backoff and log lines.
 */
final class ClusterLink implements PresenceLink {
    /** Periodic topology refresh: a failover unseen otherwise (no traffic to that slot) is found within it. */
    static final int REFRESH_SECONDS = 5;

    private final RedisKeys keys;
    private final RedisCluster.Options options;
    private final ScheduledExecutorService executor;
    private final List<RedisURI> seeds;
    private final ClientResources resources;
    private final RedisClusterClient cluster;
    /** Plain client for the per-master subscription connections of {@link ShardChannels}. */
    private final RedisClient nodes;
    private final Disposable topologyEvents;
    private final List<Runnable> commandsUp = new CopyOnWriteArrayList<>();
    private final List<Runnable> topologyChanged = new CopyOnWriteArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger holders = new AtomicInteger(RedisLink.BROKER_AND_PRESENCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    // Set once, on the link's thread, when the first connect succeeds; read from any thread.
    private volatile StatefulRedisClusterConnection<String, byte[]> commands;
    private volatile String nodeId;

    ClusterLink(List<RedisURI> seeds, RedisCluster.Options options) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no Redis Cluster node");
        }
        seeds.forEach(uri -> uri.setTimeout(RedisLink.COMMAND_TIMEOUT)); // also bounds each handshake
        this.seeds = List.copyOf(seeds);
        this.options = options;
        this.keys = new RedisKeys(options.prefix(), true);
        this.executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wshub-redis-cluster", true));
        this.resources = RedisLink.newResources();
        this.cluster = RedisClusterClient.create(resources, this.seeds);
        cluster.setOptions(ClusterClientOptions.builder(RedisLink.clientOptions())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(REFRESH_SECONDS))
                        .enableAllAdaptiveRefreshTriggers()
                        // The default 30 s would leave sends to a failed-over slot failing that long.
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .refreshTriggersReconnectAttempts(2)
                        .build())
                .build());
        this.nodes = RedisClient.create(resources);
        ClientOptions nodeOptions = RedisLink.clientOptions().mutate().autoReconnect(false).build();
        nodes.setOptions(nodeOptions);
        this.topologyEvents = resources.eventBus().get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(e -> {
                    run(this::openMasterConnections);
                    topologyChanged.forEach(this::run);
                    commandsUp.forEach(this::run);
                });
    }

    @Override public RedisKeys keys() { return keys; }
    @Override public RedisCluster.Options options() { return options; }
    @Override public ScheduledExecutorService executor() { return executor; }

    @Override
    public void start(String nodeId) {
        this.nodeId = nodeId;
        if (starts.incrementAndGet() == RedisLink.BROKER_AND_PRESENCE) {
            executor.execute(() -> connect(1));
        }
    }

    @Override
    public RedisClusterAsyncCommands<String, byte[]> async() {
        StatefulRedisClusterConnection<String, byte[]> c = commands;
        return c == null ? null : c.async();
    }

    /** The cluster command connection once connected, else null. */
    StatefulRedisClusterConnection<String, byte[]> commands() {
        return commands;
    }

    /** Slot owners as Lettuce last saw them; null before the first connect. */
    Partitions partitions() {
        return commands == null ? null : cluster.getPartitions();
    }

    /** Asks Lettuce to reload the topology now; a change fires {@link #onTopologyChanged}. */
    void refreshTopology() {
        if (commands != null && !closed.get()) {
            cluster.refreshPartitionsAsync();
        }
    }

    /** Link thread: a new subscription connection to {@code node}; throws if it cannot connect. */
    StatefulRedisPubSubConnection<String, byte[]> connectPubSub(RedisClusterNode node) {
        RedisURI uri = RedisURI.builder(seeds.get(0))
                .withHost(node.getUri().getHost()).withPort(node.getUri().getPort()).build();
        return nodes.connectPubSub(RedisLink.CODEC, uri);
    }

    /** Events of the subscription connections (drops), on Lettuce's threads. */
    void listenPubSub(RedisConnectionStateListener listener) {
        nodes.addListener(listener);
    }

    @Override
    public void onCommandsUp(Runnable r) {
        commandsUp.add(r);
    }

    /** Runs {@code r} on the link's thread after the first connect and after each topology change. */
    void onTopologyChanged(Runnable r) {
        topologyChanged.add(r);
    }

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

    @Override
    public String where() {
        return "redis cluster " + seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).collect(Collectors.joining(","));
    }

    String nodeId() {
        return nodeId;
    }

    private void connect(int attempt) {
        if (closed.get()) {
            return;
        }
        try {
            commands = cluster.connect(RedisLink.CODEC);
        } catch (RedisException e) {
            long delay = RedisLink.retryDelay(attempt);
            RedisLink.log.warn("node {}: {} not reachable, attempt {} ({}); serving this node's connections only, next attempt in {} ms",
                    nodeId, where(), attempt, RedisLink.rootMessage(e), delay);
            schedule(() -> connect(attempt + 1), delay);
            return;
        }
        RedisLink.log.info("node {} joined the cluster at {}", nodeId, where());
        openMasterConnections();
        topologyChanged.forEach(Runnable::run);
        commandsUp.forEach(Runnable::run);
    }

    /**
     * Link thread: opens Lettuce's command connection to every master now rather than on the
     * first command for one of its slots. Commands that wait for a connection being opened are
     * written in no particular order, so this keeps one publisher's sends in order except in the
     * moment right after a topology change.
     */
    private void openMasterConnections() {
        StatefulRedisClusterConnection<String, byte[]> c = commands;
        if (c == null) {
            return;
        }
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)) {
                c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .exceptionally(e -> null); // a master that is down: the next topology change retries
            }
        }
    }

    @Override
    public void release() {
        if (holders.decrementAndGet() > 0 || !closed.compareAndSet(false, true)) {
            return;
        }
        topologyEvents.dispose();
        executor.shutdownNow();
        nodes.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        cluster.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }
}

package io.wshub.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wshub.cluster.OnlineUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link OnlineUsers} over Redis (docs/backend.md "Webhooks"): each transition is one Lua
 * script, so exactly one node sees a user come online or go offline.
 *
 * <pre>
 * {p}:online:users         SET   users online anywhere
 * {p}:online:u:{user}      HASH  node -> that user's connections there
 * {p}:online:gone          ZSET  online users without a connection -> since when (ms, Redis clock)
 * {p}:online:nodes         SET   nodes that may hold connections
 * {p}:online:n:{node}      SET   users with a connection on that node
 * {p}:online:alive:{node}  STRING with the presence TTL, refreshed every third of it
 * </pre>
 *
 * A node whose alive key expired (killed) has its connections struck off by the next sweep of
 * any node, so its users go offline once the TTL and the grace have passed. Keys beyond
 * {@code KEYS} are used, so this needs a single Redis (or one shard), not Redis Cluster.
 */
public final class RedisOnlineUsers implements OnlineUsers {
    private static final Logger log = LoggerFactory.getLogger(RedisOnlineUsers.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private static final String CONNECT = """
            local p, node, u = ARGV[1], ARGV[2], ARGV[3]
            redis.call('HINCRBY', p..':online:u:'..u, node, 1)
            redis.call('SADD', p..':online:n:'..node, u)
            redis.call('SADD', p..':online:nodes', node)
            redis.call('ZREM', p..':online:gone', u)
            return redis.call('SADD', p..':online:users', u)
            """;
    private static final String DISCONNECT = """
            local p, node, u = ARGV[1], ARGV[2], ARGV[3]
            local k = p..':online:u:'..u
            if redis.call('HINCRBY', k, node, -1) <= 0 then
              redis.call('HDEL', k, node)
              redis.call('SREM', p..':online:n:'..node, u)
              if redis.call('HLEN', k) == 0 then
                local t = redis.call('TIME')
                redis.call('ZADD', p..':online:gone', 'NX', t[1] * 1000 + math.floor(t[2] / 1000), u)
              end
            end
            return 0
            """;
    private static final String SWEEP = """
            local p, grace = ARGV[1], tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            for _, node in ipairs(redis.call('SMEMBERS', p..':online:nodes')) do
              if redis.call('EXISTS', p..':online:alive:'..node) == 0 then
                for _, u in ipairs(redis.call('SMEMBERS', p..':online:n:'..node)) do
                  local k = p..':online:u:'..u
                  redis.call('HDEL', k, node)
                  if redis.call('HLEN', k) == 0 then
                    redis.call('ZADD', p..':online:gone', 'NX', now, u)
                  end
                end
                redis.call('DEL', p..':online:n:'..node)
                redis.call('SREM', p..':online:nodes', node)
              end
            end
            local out = {}
            for _, u in ipairs(redis.call('ZRANGEBYSCORE', p..':online:gone', '-inf', now - grace)) do
              redis.call('ZREM', p..':online:gone', u)
              if redis.call('HLEN', p..':online:u:'..u) == 0 and redis.call('SREM', p..':online:users', u) == 1 then
                table.insert(out, u)
              end
            end
            return out
            """;

    private final RedisClient client;
    private final RedisURI uri;
    private final String prefix;
    private final Duration ttl;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wshub-redis-online", true));
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String nodeId;
    private final java.util.concurrent.atomic.AtomicBoolean connecting = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param options the cluster's options: the same prefix and presence TTL as its other nodes */
    public RedisOnlineUsers(String redisUrl, RedisCluster.Options options) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(COMMAND_TIMEOUT);
        this.uri = uri;
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT)).build());
        this.prefix = options.prefix();
        this.ttl = options.presenceTtl();
    }

    @Override
    public void start(String nodeId) {
        this.nodeId = nodeId;
        connect();
        long every = Math.max(1, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** Connects without blocking; a Redis that is down now is tried again at the next refresh. */
    private void connect() {
        if (connecting.getAndSet(true)) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, failure) -> {
            connecting.set(false);
            if (failure != null) {
                log.debug("online users: cannot reach Redis yet: {}", failure.toString());
                return;
            }
            connection = c;
            refresh();
        });
    }

    private void refresh() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            connect();
            return;
        }
        c.async().set(prefix + ":online:alive:" + nodeId, "1", SetArgs.Builder.px(ttl.toMillis()));
    }

    @Override
    public CompletionStage<Boolean> connected(String userId) {
        return eval(CONNECT, ScriptOutputType.INTEGER, nodeId, userId).thenApply(n -> ((Long) n) == 1L)
                .exceptionally(e -> false);
    }

    @Override
    public CompletionStage<Void> disconnected(String userId) {
        return eval(DISCONNECT, ScriptOutputType.INTEGER, nodeId, userId).handle((r, e) -> null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<List<String>> sweep(Duration grace) {
        return eval(SWEEP, ScriptOutputType.MULTI, Long.toString(grace.toMillis()))
                .thenApply(r -> (List<String>) r).exceptionally(e -> List.of());
    }

    private CompletableFuture<Object> eval(String script, ScriptOutputType type, String... args) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis not connected"));
        }
        String[] all = new String[args.length + 1];
        all[0] = prefix;
        System.arraycopy(args, 0, all, 1, args.length);
        return c.async().<Object>eval(script, type, new String[0], all).toCompletableFuture();
    }

    /** Stops refreshing; this node's connections count until its alive key expires. */
    @Override
    public void close() {
        timer.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.closeAsync();
        }
        client.shutdownAsync(0, 1, TimeUnit.SECONDS);
    }
}

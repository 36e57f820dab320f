package io.wshub.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.wshub.Target;
import io.wshub.cluster.Broker;
import io.wshub.cluster.Envelope;
import io.wshub.cluster.History;
import io.wshub.cluster.Publication;
import io.wshub.cluster.Retention;
import io.wshub.cluster.StreamPosition;
import io.wshub.cluster.StreamSlice;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@link History} in Redis, beside the {@link RedisBroker} it shares a link with.
 *
 * <h2>Keys</h2>
 * <pre>
 * {p}:history:{kind}:{id}        LIST of the kept publications, each the envelope bytes as published
 * {p}:history:{kind}:{id}:meta   HASH epoch, top (the last offset)
 * </pre>
 * Both expire {@code ttl} after the last publication, so a stream that outlives its TTL comes
 * back with a new epoch, as after a FLUSHALL or a Redis restart without persistence.
 *
 * <h2>One script per publish</h2>
 * {@link #PUBLISH} takes the epoch (making one if the stream is new), increments the top,
 * appends the envelope with its position to the list, trims it, sets the TTLs and PUBLISHes the
 * same bytes on the target's broker channel, all atomically: every node's subscription sees a
 * stream's publications in offset order, and a read sees a publication only together with its
 * delivery having been published. The publishing node gets its own publication back over its
 * subscription too ({@link RedisBroker} keeps positioned envelopes from itself), which is what
 * orders its local deliveries with everyone else's.
 *
 * <h2>Redis down</h2>
 * {@link #publish} and {@link #read} fail at once while the link knows the command connection
 * is down; the hub then delivers live on its own node and counts the failure.
 */
final class RedisHistory implements History {
    /**
     * Waiting longer for a subscription means Redis is very slow: read anyway rather than hold
     * the join forever (5 s: a SUBSCRIBE is confirmed in well under a millisecond normally).
     */
    private static final long READY_TIMEOUT_MILLIS = 5000;

    static final String PUBLISH = """
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[2], 'epoch', epoch)
            end
            local offset = redis.call('HINCRBY', KEYS[2], 'top', 1)
            local msg = ARGV[5] .. ',"offset":' .. offset .. ',"epoch":"' .. epoch .. '"}\\n' .. ARGV[6]
            redis.call('RPUSH', KEYS[1], msg)
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            redis.call('PUBLISH', ARGV[4], msg)
            return {offset, epoch}
            """;

    /**
     * The list holds offsets {@code top - LLEN + 1 .. top} without holes (appends, trims from
     * the front, and expiry or deletion of list and meta together), so the entries after
     * {@code since} are found by index: a recovery reads only what it misses.
     */
    static final String READ = """
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[2], 'epoch', epoch, 'top', 0)
              redis.call('PEXPIRE', KEYS[2], ARGV[2])
            end
            local top = tonumber(redis.call('HGET', KEYS[2], 'top'))
            local out = {top, epoch}
            local limit = tonumber(ARGV[3])
            local len = redis.call('LLEN', KEYS[1])
            if limit > 0 and len > 0 then
              local from = math.max(0, tonumber(ARGV[4]) + 1 - (top - len + 1))
              local to = math.min(len - 1, from + limit - 1)
              if from <= to then
                local kept = redis.call('LRANGE', KEYS[1], from, to)
                for i = 1, #kept do out[#out + 1] = kept[i] end
              end
            end
            return out
            """;

    private final RedisLink link;
    private final Subscriptions subscriptions;

    RedisHistory(RedisLink link, Subscriptions subscriptions) {
        this.link = link;
        this.subscriptions = subscriptions;
    }

    @Override
    public void start(String nodeId, Broker.Sink sink) {
        // Nothing to do: positioned envelopes arrive over the broker's subscriptions.
    }

    @Override
    public CompletionStage<StreamPosition> publish(Envelope e, Retention retention) {
        StatefulRedisConnection<String, byte[]> c = link.commands();
        if (c == null) {
            return down();
        }
        String key = key(e.target());
        byte[][] args = {
                newEpoch(), ascii(retention.size()), ascii(retention.ttl().toMillis()),
                link.keys.channel(e.target()).getBytes(StandardCharsets.UTF_8), EnvelopeCodec.openHeader(e), e.data().bytes()};
        return c.async().<List<Object>>eval(PUBLISH, ScriptOutputType.MULTI, new String[] {key, key + ":meta"}, args)
                .thenApply(r -> new StreamPosition((Long) r.get(0), text(r.get(1))));
    }

    @Override
    public CompletionStage<StreamSlice> read(Target stream, long since, int limit, Retention retention) {
        StatefulRedisConnection<String, byte[]> c = link.commands();
        if (c == null) {
            return down();
        }
        String key = key(stream);
        byte[][] args = {newEpoch(), ascii(retention.ttl().toMillis()), ascii(limit), ascii(since)};
        return c.async().<List<Object>>eval(READ, ScriptOutputType.MULTI, new String[] {key, key + ":meta"}, args)
                .thenApply(r -> slice(r, since, limit));
    }

    private static StreamSlice slice(List<Object> reply, long since, int limit) {
        StreamPosition top = new StreamPosition((Long) reply.get(0), text(reply.get(1)));
        List<Publication> after = new ArrayList<>();
        for (int i = 2; i < reply.size() && after.size() < limit; i++) {
            Envelope e = EnvelopeCodec.decode((byte[]) reply.get(i));
            if (e.position() != null && e.position().offset() > since) {
                after.add(new Publication(e.position().offset(), e.event(), e.data()));
            }
        }
        return new StreamSlice(after, top);
    }

    @Override
    public CompletionStage<Void> remove(Target stream) {
        StatefulRedisConnection<String, byte[]> c = link.commands();
        if (c == null) {
            return down();
        }
        String key = key(stream);
        return c.async().del(key, key + ":meta").thenApply(n -> null);
    }

    @Override
    public CompletionStage<Void> ready(Target stream) {
        // A copy: the timeout must not complete the future other waiters share.
        return subscriptions.whenActive(link.keys.channel(stream)).copy()
                .completeOnTimeout(null, READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        // The link belongs to the broker and the presence.
    }

    private String key(Target stream) {
        History.streamName(stream); // users and tags only
        return link.keys.prefix() + ":history:" + stream.kind().name().toLowerCase() + ":" + stream.id();
    }

    private static <T> CompletableFuture<T> down() {
        return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
    }

    private static byte[] newEpoch() {
        return ascii(UUID.randomUUID().toString().substring(0, 8));
    }

    private static byte[] ascii(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}

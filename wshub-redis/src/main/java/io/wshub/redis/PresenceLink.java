package io.wshub.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What {@link RedisPresence} and its {@link PresenceWriter} need from a connection to Redis: one
 * Redis ({@link RedisLink}) or a Redis Cluster ({@link ClusterLink}, whose commands Lettuce
 * routes by slot). Both give a single thread for writes and reconnects, and commands that never
 * block.
 */
interface PresenceLink {

    RedisKeys keys();

    RedisCluster.Options options();

    /** The link's single thread: presence writes, refreshes and (re)connects run here in order. */
    ScheduledExecutorService executor();

    /** Commands, if the link is connected now; else null. Any thread. */
    RedisClusterAsyncCommands<String, byte[]> async();

    /** Runs {@code r} on the link's thread whenever the state in Redis may be gone or stale: write it all. */
    void onCommandsUp(Runnable r);

    /** Where query answers are decoded and combined (never Lettuce's I/O threads). */
    Executor computation();

    /** Runs {@code task} on the link's thread; dropped once the link is closed. */
    default void run(Runnable task) {
        schedule(task, 0);
    }

    void schedule(Runnable task, long delayMillis);

    /** Host and port (or the seed nodes), never the password. */
    String where();

    /** Called by each holder from its {@code start}; connecting begins with the last one. */
    void start(String nodeId);

    /** Called by each holder once; the last one closes the connections and threads. */
    void release();

    boolean isClosed();
}

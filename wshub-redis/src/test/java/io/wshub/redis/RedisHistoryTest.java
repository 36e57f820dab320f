package io.wshub.redis;

import io.lettuce.core.RedisURI;
import io.wshub.Target;
import io.wshub.cluster.Broker;
import io.wshub.cluster.History;
import io.wshub.cluster.HistoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The history contract on Redis: each member is a node's broker and history over its own link to one real redis-server. */
class RedisHistoryTest extends HistoryContract {
    static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Member newMember(String nodeId, Broker.Sink sink) {
        RedisLink link = new RedisLink(RedisURI.create(redis.url()), RedisCluster.Options.DEFAULTS);
        RedisBroker broker = new RedisBroker(link);
        RedisPresence presence = new RedisPresence(link);
        RedisHistory history = new RedisHistory(link, broker.subscriptions());
        broker.start(nodeId, sink);
        presence.start(nodeId, java.util.List::of);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> link.commands() != null);
        return new Member() {
            @Override public History history() { return history; }

            @Override
            public void subscribe(Target stream) {
                broker.subscribe(stream);
                try {
                    history.ready(stream).toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                assertThat(broker.subscriptions().whenActive(link.keys.channel(stream))).isDone();
            }

            @Override
            public void close() {
                history.close();
                broker.close();
                presence.close();
            }
        };
    }

    @Override
    protected void passTime(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // Redis expires keys on its own clock
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void loseEverything() {
        redis.call(c -> c.sync().flushall());
    }
}

package io.wshub.redis;

import io.wshub.HistoryRule;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.testing.RecoveryChaos;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** History over a real redis-server: the chaos run (docs/history.md), a flush, and Redis going down. */
class RedisChaosTest {
    static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void withHistoryEverySubscriberGetsEveryMessageOnceInOrderAcrossTwoNodesAndARestart() throws InterruptedException {
        RecoveryChaos chaos = new RecoveryChaos((id, more) -> {
            WsHub hub = TestHub.start(cfg -> {
                RedisCluster.install(cfg.nodeId(id), redis.url());
                more.accept(cfg);
            });
            // A node serves before Redis answers (history sends fail fast then): wait for it.
            await().until(() -> hub.history(Target.tag(RecoveryChaos.TAG), 0, 1).toCompletableFuture().handle((r, e) -> e == null).join());
            return hub;
        }, Integer.getInteger("chaos.sends", 1000), 3);
        RecoveryChaos.Outcome o = chaos.run(true);
        assertThat(o.problems()).isEmpty();
        assertThat(o.reconnects()).as("sockets were cut").isGreaterThan(10);
        List<Long> all = LongStream.rangeClosed(1, o.total()).boxed().toList();
        o.tagSeen().forEach(seen -> assertThat(seen).containsExactlyElementsOf(all));
        o.userSeen().forEach(seen -> assertThat(seen).containsExactlyElementsOf(all));
    }

    @Test
    void aFlushChangesTheEpochAndRedisDownFailsHistorySendsButNotLiveDelivery() {
        try (WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("flush-a"), redis.url())
                .history(HistoryRule.tags("f:*", 100, Duration.ofMinutes(1))))) {
            await().until(() -> a.publish(Target.tag("f:probe"), "m", 1).toCompletableFuture().handle((r, e) -> e == null).join());
            Map<String, Object> since;
            try (TestClient c = TestClient.connect(TestHub.ws(a))) {
                c.connectedId();
                c.request("join", Map.of("id", "f:1"));
                a.sendToTag("f:1", "m", "before");
                var m = c.next("m");
                since = Map.of("id", "f:1", "since", Map.of("offset", m.path("offset").asLong(), "epoch", m.path("epoch").asText()));
            }
            redis.call(c -> c.sync().flushall());
            try (TestClient c = TestClient.connect(TestHub.ws(a))) {
                c.connectedId();
                var reply = c.request("join", since);
                assertThat(reply.path("recovered").asBoolean()).isFalse();
                assertThat(reply.path("epoch").asText()).isNotEqualTo(((Map<?, ?>) since.get("since")).get("epoch"));

                redis.kill();
                await().atMost(Duration.ofSeconds(15)).until(() -> a.publish(Target.tag("f:1"), "m", "down")
                        .toCompletableFuture().handle((r, e) -> e != null).join());
                var live = c.next("m");
                assertThat(live.path("data").asText()).isEqualTo("down");
                assertThat(live.has("offset")).as("delivered live, without a position").isFalse();
                assertThatThrownBy(() -> a.publish(Target.tag("f:1"), "m", "x").toCompletableFuture().join())
                        .isInstanceOf(CompletionException.class).hasMessageContaining("history store unavailable");
                assertThat(a.meterRegistry().get("wshub_history_failures_total").counter().count()).isGreaterThanOrEqualTo(2);
            } finally {
                redis.restart();
            }
        }
    }
}

package io.wshub.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.wshub.redis.RedisOutageTest.nodes;
import static io.wshub.redis.ShardedRedisOutageTest.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A master of the Redis Cluster killed (SIGKILL) while a node keeps sending to a user whose
 * channel lives on it. What may be lost: the sends made from the kill until the replica is
 * promoted and both hubs use it (the publisher's topology refresh, the subscriber's
 * resubscription). What must hold: nothing arrives twice, once one send gets through again every
 * later one does (in order once the new master's connection is open), and presence that lived on
 * the dead master is back.
 */
class ClusteredRedisFailoverTest {
    static final RedisCluster.Options FAST = RedisCluster.Options.DEFAULTS.withPresenceTtl(Duration.ofSeconds(3));
    static final RedisKeys KEYS = new RedisKeys("wshub", true);

    @Test
    void aMasterKilledWhileSendsGoOnFailsOverAndSendsResume() {
        try (TestRedisCluster cluster = TestRedisCluster.start()) {
            int[] owners = cluster.slotOwners();
            RedisServer doomed = cluster.masterOf(KEYS.channel(Target.ALL), owners);
            // Everyone's channel, the user's channel and node b's presence live on the master
            // that dies; node a's presence on another.
            String user = pick("u", u -> cluster.masterOf(KEYS.channel(Target.user(u)), owners) == doomed);
            String b = pick("b", n -> cluster.masterOf(KEYS.alive(n), owners) == doomed);
            String a = pick("a", n -> cluster.masterOf(KEYS.alive(n), owners) != doomed);
            try (WsHub hubA = TestHub.start(cfg -> ClusteredRedis.install(cfg.nodeId(a), cluster.urls(), FAST));
                 WsHub hubB = TestHub.start(cfg -> ClusteredRedis.install(cfg.nodeId(b), cluster.urls(), FAST));
                 TestClient client = TestClient.connect(TestHub.ws(hubA, user))) {
                client.connectedId();
                await().until(() -> nodes(hubA).equals(List.of(a, b).stream().sorted().toList()));
                await().pollInterval(Duration.ofMillis(100)).until(() -> {
                    hubB.sendToUser(user, "probe", null);
                    return client.poll(100) != null;
                });
                while (client.poll(200) != null) {
                    // drain late probes
                }

                long killed = System.nanoTime();
                doomed.kill();
                List<Integer> got = new ArrayList<>();
                int sent = 0;
                // Sends every 20 ms until one arrives again (bounded: 30 s).
                while (got.isEmpty()) {
                    assertThat(System.nanoTime() - killed).as("no send arrived within 30 s of the kill")
                            .isLessThan(Duration.ofSeconds(30).toNanos());
                    hubB.sendToUser(user, "tick", sent++);
                    JsonNode m = client.poll(20);
                    if (m != null && m.path("event").asText().equals("tick")) {
                        got.add(m.path("data").asInt());
                    }
                }
                long backMillis = (System.nanoTime() - killed) / 1_000_000;
                // From the first send that got through, every later one arrives, once, in order.
                int end = sent + 50;
                for (int i = sent; i < end; i++) {
                    hubB.sendToUser(user, "tick", i);
                }
                while (got.get(got.size() - 1) < end - 1) {
                    JsonNode m = client.next("tick");
                    got.add(m.path("data").asInt());
                }
                int resumedAt = got.stream().min(Integer::compare).orElseThrow();
                List<Integer> expected = new ArrayList<>();
                for (int i = resumedAt; i < end; i++) {
                    expected.add(i);
                }
                // Each exactly once; the first few may overtake each other while Lettuce opens its
                // connection to the new master, the 50 sent after that keep their order.
                assertThat(got.stream().sorted().toList()).as("sends from the first one through after the failover").isEqualTo(expected);
                assertThat(got.subList(got.size() - 50, got.size())).isEqualTo(expected.subList(expected.size() - 50, expected.size()));
                System.out.printf("master killed: %d of %d sends lost, sends back after %d ms%n", resumedAt, sent, backMillis);

                // b's presence lived on the dead master: the promoted replica serves it again.
                await().atMost(Duration.ofSeconds(15)).until(() -> nodes(hubA).equals(List.of(a, b).stream().sorted().toList()));
                assertThat(cluster.masterOf(KEYS.alive(b))).isNotSameAs(doomed);
                // A user that connects now subscribes on the new master and is reached.
                try (TestClient late = TestClient.connect(TestHub.ws(hubA, user + "x"))) {
                    late.connectedId();
                    await().pollInterval(Duration.ofMillis(100)).until(() -> {
                        hubB.sendToUser(user + "x", "late", null);
                        return late.poll(100) != null;
                    });
                }
            }
        }
    }
}

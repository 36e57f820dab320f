package io.wshub.redis;

import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No race after {@code connected} (docs/protocol.md §6): a client that saw its connected
 * event (or a join reply) is reachable from every node at once, with no wait for Redis to
 * confirm a subscription. Sends here go out the moment the event arrives; a lost one fails
 * the test.
 */
class ConnectedRaceTest {
    static RedisServer redis;
    static WsHub receiver;
    static WsHub sender;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        receiver = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("rx"), redis.url()));
        sender = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("tx"), redis.url()));
    }

    @AfterAll
    static void stop() {
        try {
            receiver.close();
            sender.close();
        } finally {
            redis.close();
        }
    }

    /** 200 times: a user new to the node, and a tag new to it, are reachable right after the event and the reply. */
    @Test
    void aNewUserAndANewTagAreReachableFromAnotherNodeTheMomentTheClientHearsOfThem() {
        for (int i = 0; i < 200; i++) {
            String user = "race-" + i;
            try (TestClient c = TestClient.connect(TestHub.ws(receiver, user))) {
                String id = c.connectedId();
                sender.sendToUser(user, "to-user", i);
                assertThat(c.next("to-user").path("data").asInt()).as("iteration %d", i).isEqualTo(i);
                sender.sendToClient(id, "to-client", i);
                assertThat(c.next("to-client").path("data").asInt()).isEqualTo(i);
                c.send("join", Map.of("id", "room-" + i), "j");
                assertThat(c.next("join").path("code").asInt()).isZero();
                sender.sendToTag("room-" + i, "to-tag", i);
                assertThat(c.next("to-tag").path("data").asInt()).as("iteration %d", i).isEqualTo(i);
            }
        }
    }

    /** A node that has just started: its first connection is reachable by client id, user and everyone. */
    @Test
    void theFirstConnectionOfAFreshNodeIsReachableAtOnce() {
        for (int i = 0; i < 8; i++) {
            try (WsHub fresh = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId(null).drainTimeout(Duration.ofMillis(200)), redis.url()));
                 TestClient c = TestClient.connect(TestHub.ws(fresh, "first-" + i))) {
                String id = c.connectedId();
                sender.sendToClient(id, "to-client", i);
                sender.sendToUser("first-" + i, "to-user", i);
                sender.sendToAll("to-all", i);
                assertThat(c.next("to-client").path("data").asInt()).as("fresh node %d", i).isEqualTo(i);
                assertThat(c.next("to-user").path("data").asInt()).isEqualTo(i);
                assertThat(c.next("to-all").path("data").asInt()).isEqualTo(i);
            }
        }
    }

    /** --max-connections-per-user counts the user's connections on every node. */
    @Test
    void theUserCapIsClusterWide() {
        try (WsHub one = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("cap1"), redis.url()).limits().maxConnectionsPerUser(2));
             WsHub two = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("cap2"), redis.url()).limits().maxConnectionsPerUser(2));
             TestClient a = TestClient.connect(TestHub.ws(one, "capped"));
             TestClient b = TestClient.connect(TestHub.ws(two, "capped"))) {
            a.connectedId();
            b.connectedId();
            org.awaitility.Awaitility.await().until(() -> one.stats().toCompletableFuture().join().connections() >= 2);
            io.wshub.testing.RawUpgrade.Answer refused = io.wshub.testing.RawUpgrade.send(one.port(), "/ws?token=" + TestHub.token("capped"), Map.of());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("too many connections for this user");
        }
    }
}

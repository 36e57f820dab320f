package io.wshub.nats;

import io.wshub.WsHub;
import io.wshub.redis.RedisServer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.wshub.testing.ClusterProbes.awaitRoute;
import static io.wshub.testing.ClusterProbes.publishFailures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** nats-server going away and coming back: local delivery never stops, the cluster heals by itself. */
class NatsOutageTest {
    static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aNatsRestartNeverStopsLocalDeliveryAndCrossNodeSendsResume() {
        try (NatsServer nats = NatsServer.start();
             WsHub a = TestHub.start(cfg -> NatsCluster.install(cfg.nodeId("a"), nats.url(), List.of(redis.url())));
             WsHub b = TestHub.start(cfg -> NatsCluster.install(cfg.nodeId("b"), nats.url(), List.of(redis.url())));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"));
             TestClient bob = TestClient.connect(TestHub.ws(b, "bob"))) {
            alice.connectedId();
            bob.connectedId();
            awaitRoute(b, "alice", alice);

            nats.kill();
            await().until(() -> {
                b.sendToUser("alice", "lost", null);
                return publishFailures(b) > 0;
            });
            for (int i = 0; i < 3; i++) {
                assertThat(b.sendToUser("bob", "local", i)).isEqualTo(1);
                assertThat(bob.nextOf("local").path("data").asInt()).isEqualTo(i);
            }

            long restarted = System.nanoTime();
            nats.restart();
            awaitRoute(b, "alice", alice);
            System.out.printf("after the nats-server restart: cross-node sends back in %d ms%n",
                    (System.nanoTime() - restarted) / 1_000_000);
            double failed = publishFailures(b);
            b.sendToUser("alice", "back", 1);
            assertThat(alice.nextOf("back").path("data").asInt()).isEqualTo(1);
            assertThat(publishFailures(b)).isEqualTo(failed);
        }
    }

    @Test
    void aNodeStartsWithNatsDownAndJoinsWhenItComes() {
        NatsServer nats = NatsServer.start();
        nats.kill();
        try (nats;
             WsHub a = TestHub.start(cfg -> NatsCluster.install(cfg.nodeId("a"), nats.url(), List.of(redis.url())));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            alice.connectedId();
            assertThat(a.sendToUser("alice", "local", 1)).isEqualTo(1);
            alice.next("local");
            nats.restart();
            try (WsHub b = TestHub.start(cfg -> NatsCluster.install(cfg.nodeId("b"), nats.url(), List.of(redis.url())))) {
                awaitRoute(b, "alice", alice);
                b.sendToUser("alice", "from-b", 2);
                assertThat(alice.nextOf("from-b").path("data").asInt()).isEqualTo(2);
            }
        }
    }
}

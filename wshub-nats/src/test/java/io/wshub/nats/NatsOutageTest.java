package io.wshub.nats;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.redis.RedisServer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
                return failures(b) > 0;
            });
            for (int i = 0; i < 3; i++) {
                assertThat(b.sendToUser("bob", "local", i)).isEqualTo(1);
                assertThat(nextOf(bob, "local").path("data").asInt()).isEqualTo(i);
            }

            long restarted = System.nanoTime();
            nats.restart();
            awaitRoute(b, "alice", alice);
            System.out.printf("after the nats-server restart: cross-node sends back in %d ms%n",
                    (System.nanoTime() - restarted) / 1_000_000);
            double failed = failures(b);
            b.sendToUser("alice", "back", 1);
            assertThat(nextOf(alice, "back").path("data").asInt()).isEqualTo(1);
            assertThat(failures(b)).isEqualTo(failed);
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
                assertThat(nextOf(alice, "from-b").path("data").asInt()).isEqualTo(2);
            }
        }
    }

    private static final AtomicLong PROBES = new AtomicLong();

    /** Sends probes from {@code via} until one sent by this call reaches {@code client}. */
    static void awaitRoute(WsHub via, String user, TestClient client) {
        long first = PROBES.get() + 1;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            via.sendToUser(user, "probe", PROBES.incrementAndGet());
            boolean arrived = false;
            while (client.pending() > 0) {
                JsonNode msg = client.next();
                arrived |= msg.path("event").asText().equals("probe") && msg.path("data").asLong() >= first;
            }
            return arrived;
        });
    }

    /** The next message with {@code event}, skipping others (probes, sends made during the outage). */
    static JsonNode nextOf(TestClient client, String event) {
        while (true) {
            JsonNode msg = client.next();
            if (msg.path("event").asText().equals(event)) {
                return msg;
            }
        }
    }

    static double failures(WsHub hub) {
        return hub.meterRegistry().get("wshub.cluster.publish.failures").counter().count();
    }
}

package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.cluster.ConnectedRaceContract;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No race after {@code connected} over one real Redis ({@link ConnectedRaceContract}), and the cluster-wide user cap. */
class ConnectedRaceTest extends ConnectedRaceContract {
    static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Override
    protected WsConfig install(WsConfig cfg) {
        return RedisCluster.install(cfg, redis.url());
    }

    /** --max-connections-per-user counts the user's connections on every node. */
    @Test
    void theUserCapIsClusterWide() {
        try (WsHub one = TestHub.start(cfg -> install(cfg.nodeId("cap1")).limits().maxConnectionsPerUser(2));
             WsHub two = TestHub.start(cfg -> install(cfg.nodeId("cap2")).limits().maxConnectionsPerUser(2));
             TestClient a = TestClient.connect(TestHub.ws(one, "capped"));
             TestClient b = TestClient.connect(TestHub.ws(two, "capped"))) {
            a.connectedId();
            b.connectedId();
            await().until(() -> one.stats().toCompletableFuture().join().connections() >= 2);
            RawUpgrade.Answer refused = RawUpgrade.send(one.port(), "/ws?token=" + TestHub.token("capped"), Map.of());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("too many connections for this user");
        }
    }
}

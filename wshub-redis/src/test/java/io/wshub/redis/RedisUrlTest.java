package io.wshub.redis;

import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The URL forms {@code --redis-url} accepts. */
class RedisUrlTest {

    @Test
    void aPasswordInTheUrlIsUsed() {
        try (RedisServer redis = RedisServer.start("--requirepass", "s3cret");
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), "redis://:s3cret@127.0.0.1:" + redis.port));
             WsHub b = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("b"), "redis://:s3cret@127.0.0.1:" + redis.port + "/0"));
             TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
            alice.connectedId();
            await().until(() -> RedisOutageTest.nodes(b).equals(List.of("a", "b")));
            await().until(() -> b.users().toCompletableFuture().join().stream().anyMatch(u -> u.userId().equals("alice")));
            b.sendToAll("hi", null);
            alice.next("hi");
        }
    }

    @Test
    void aMalformedUrlFailsAtInstall() {
        assertThatThrownBy(() -> RedisCluster.install(new WsConfig(), "http://127.0.0.1:6379"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

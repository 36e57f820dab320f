package io.wshub.redis;

import io.wshub.WsHub;
import io.wshub.testing.TestCerts;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code rediss://}: two hubs talk through a redis-server that speaks TLS only on the port they
 * use, with a certificate from a test CA the JVM trusts through {@code javax.net.ssl.trustStore}
 * (how docs/operations.md tells operators to trust a private CA).
 */
class RedisTlsTest {
    @TempDir
    Path dir;

    @Test
    void nodesShareSendsAndPresenceOverRediss() throws Exception {
        TestCerts certs = TestCerts.create(dir, "localhost");
        int tlsPort = freePort();
        String store = System.getProperty("javax.net.ssl.trustStore");
        String pass = System.getProperty("javax.net.ssl.trustStorePassword");
        System.setProperty("javax.net.ssl.trustStore", certs.trustStore("changeit").toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        // the plain port stays for the helper's readiness ping; the hubs only use the TLS one
        try (RedisServer redis = RedisServer.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certs.chain.toString(),
                "--tls-key-file", certs.key.toString(), "--tls-ca-cert-file", certs.root.toString(), "--tls-auth-clients", "no")) {
            String url = "rediss://127.0.0.1:" + tlsPort;
            WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("tls-a"), url));
            WsHub b = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("tls-b"), url));
            try (TestClient alice = TestClient.connect(TestHub.ws(a, "alice"))) {
                alice.connectedId();
                await().until(() -> b.stats().toCompletableFuture().join().nodes().equals(List.of("tls-a", "tls-b")));
                await().until(() -> redis.subscribers("wshub:user:alice") == 1);
                b.sendToUser("alice", "over-tls", Map.of("n", 1));
                assertThat(alice.next("over-tls").path("data").path("n").asInt()).isEqualTo(1);
            } finally {
                a.close();
                b.close();
            }
        } finally {
            restore("javax.net.ssl.trustStore", store);
            restore("javax.net.ssl.trustStorePassword", pass);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

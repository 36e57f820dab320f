package io.wshub.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.nats.NatsServer;
import io.wshub.redis.RedisServer;
import io.wshub.redis.TestRedisCluster;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The engine options of the standalone server (docs/cluster.md): two servers configured by
 * flags and environment as an operator would, a client on one, the HTTP API of the other.
 */
class ClusterEnginesTest {
    static RedisServer one;
    static RedisServer two;
    static NatsServer nats;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startEngines() {
        one = RedisServer.start();
        two = RedisServer.start();
        nats = NatsServer.start();
    }

    @AfterAll
    static void stopEngines() {
        one.close();
        two.close();
        nats.close();
    }

    @Test
    void repeatedRedisUrlsMakeShards() throws Exception {
        // Node a from repeated flags, node b from a comma list in the environment.
        crossNodeSend(settings(Map.of(), "--node-id", "a", "--redis-url", one.url(), "--redis-url", two.url()),
                settings(Map.of("WSHUB_REDIS_URL", two.url() + "," + one.url()), "--node-id", "b"));
    }

    @Test
    void aNatsUrlCarriesTheSendsBesideRedisPresence() throws Exception {
        crossNodeSend(settings(Map.of(), "--node-id", "a", "--nats-url", nats.url(), "--redis-url", one.url()),
                settings(Map.of("WSHUB_NATS_URL", nats.url(), "WSHUB_REDIS_URL", one.url()), "--node-id", "b"));
    }

    @Test
    void redisClusterTurnsTheUrlsIntoSeedNodesOfOneCluster() throws Exception {
        List<String> seeds = TestRedisCluster.shared().urls();
        crossNodeSend(settings(Map.of(), "--node-id", "a", "--redis-cluster", "--redis-url", seeds.get(0)),
                settings(Map.of("WSHUB_REDIS_CLUSTER", "true", "WSHUB_REDIS_URL", String.join(",", seeds)), "--node-id", "b"));
    }

    @Test
    void redisClusterWithoutSeedsIsRefusedWithAMessage() {
        assertThatThrownBy(() -> Server.start(settings(Map.of(), "--redis-cluster")))
                .hasMessageContaining("--redis-cluster").hasMessageContaining("--redis-url");
    }

    @Test
    void natsWithoutRedisIsRefusedWithAMessage() {
        assertThatThrownBy(() -> Server.start(settings(Map.of(), "--nats-url", nats.url())))
                .hasMessageContaining("--nats-url").hasMessageContaining("--redis-url");
    }

    private static Settings settings(Map<String, String> env, String... flags) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--api-key", TestHub.API_KEY,
                "--jwt-secret", TestHub.SECRET, "--auth", "optional", "--drain-timeout", "1"));
        args.addAll(List.of(flags));
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.parseArgs(args.toArray(String[]::new));
        return SettingsLoader.load(null, env, cli.getCommandSpec());
    }

    /** Server a holds the client; server b's HTTP API sends to it and lists it. */
    private static void crossNodeSend(Settings a, Settings b) throws Exception {
        Server serverA = Server.start(a);
        Server serverB = Server.start(b);
        try (TestClient alice = TestClient.connect(TestHub.ws(serverA.hub(), "alice"))) {
            alice.connectedId();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    get(serverB, "/api/clients?userId=alice").path("total").asInt() == 1);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                post(serverB, "/api/send/user/alice", "{\"event\":\"probe\"}");
                return alice.pending() > 0;
            });
            JsonNode answer = post(serverB, "/api/send/user/alice", "{\"event\":\"notice\",\"data\":\"hi\"}");
            assertThat(answer.path("delivered").asInt()).isEqualTo(1);
            JsonNode msg;
            do {
                msg = alice.next();
            } while (msg.path("event").asText().equals("probe"));
            assertThat(msg.path("event").asText()).isEqualTo("notice");
            assertThat(get(serverB, "/api/stats").path("nodes").toString()).isEqualTo("[\"a\",\"b\"]");
            // Every node subscribes to "all" on every Redis it uses (both shards, or the presence Redis not at all).
            long expected = a.natsUrl != null || Boolean.TRUE.equals(a.redisCluster) ? 0 : 4;
            await().until(() -> one.subscribers("wshub:all") + two.subscribers("wshub:all") == expected);
        } finally {
            serverB.hub().close();
            serverA.hub().close();
        }
    }

    private static JsonNode get(Server server, String path) throws Exception {
        return call(HttpRequest.newBuilder(uri(server, path)).GET());
    }

    private static JsonNode post(Server server, String path, String body) throws Exception {
        return call(HttpRequest.newBuilder(uri(server, path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(Server server, String path) {
        return URI.create("http://127.0.0.1:" + server.hub().port() + path);
    }

    private static JsonNode call(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> answer = HTTP.send(request.header("X-API-Key", TestHub.API_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return TestClient.JSON.readTree(answer.body()).path("data");
    }
}

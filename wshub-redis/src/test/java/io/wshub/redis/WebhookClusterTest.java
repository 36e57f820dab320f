package io.wshub.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wshub.WsHub;
import io.wshub.proxy.Backend;
import io.wshub.testing.TestBackend;
import io.wshub.testing.TestBackend.Answer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import io.wshub.webhook.WebhookOptions;
import io.wshub.webhook.Webhooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/backend.md "Webhooks": user.online / user.offline fire once per user across two nodes
 * over a real redis-server, respect the grace, and survive a node killed with SIGKILL.
 */
class WebhookClusterTest {
    static final Duration TTL = Duration.ofSeconds(2);
    // 3 s: a reconnect right after a close fits in it even on a busy machine (Redis keeps the time).
    static final Duration GRACE = Duration.ofSeconds(3);
    static final Pattern PORT = Pattern.compile("^PORT (\\d+)$", Pattern.MULTILINE);
    static RedisServer redis;
    static TestBackend backend;
    static Node a;
    static Node b;

    /** A started clustered hub with webhooks. */
    record Node(WsHub hub, Webhooks hooks) implements AutoCloseable {
        @Override
        public void close() {
            hub.close();
            hooks.close();
        }
    }

    static Node node(String redisUrl, String id, Duration ttl, String webhookUrl, Duration grace) {
        RedisCluster.Options options = RedisCluster.Options.DEFAULTS.withPresenceTtl(ttl);
        WsHub hub = TestHub.configure(cfg -> RedisCluster.install(cfg.nodeId(id), redisUrl, options));
        Webhooks hooks = new Webhooks(WebhookOptions.of(webhookUrl).withGrace(grace), new Backend(null, 100, null),
                new RedisOnlineUsers(redisUrl, options), new SimpleMeterRegistry()).attach(hub);
        hub.start();
        return new Node(hub, hooks);
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        backend = new TestBackend().on("/hooks", req -> Answer.json("{}"));
        a = node(redis.url(), "a", TTL, backend.url("/hooks"), GRACE);
        b = node(redis.url(), "b", TTL, backend.url("/hooks"), GRACE);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        backend.close();
        redis.close();
    }

    static List<JsonNode> hooks(String type, String user) {
        return backend.requests.stream().map(TestBackend.Request::json)
                .filter(j -> j.path("type").asText().equals(type) && j.path("user").asText().equals(user)).toList();
    }

    /** A user that comes and goes: once its offline arrived, every sweep that could send a duplicate has run. */
    static void barrier(String user) {
        try (TestClient c = TestClient.connect(TestHub.ws(a.hub(), user))) {
            c.connectedId();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks("user.offline", user).size() == 1);
    }

    @Test
    void onlineAndOfflineOncePerUserAcrossNodesWithTheGrace() throws Exception {
        TestClient onA = TestClient.connect(TestHub.ws(a.hub(), "ann"));
        onA.connectedId();
        TestClient onB = TestClient.connect(TestHub.ws(b.hub(), "ann"));
        onB.connectedId();
        await().until(() -> hooks("user.online", "ann").size() == 1);
        onA.close();
        // a reload on the other node within the grace
        onB.close();
        TestClient reload = TestClient.connect(TestHub.ws(a.hub(), "ann"));
        reload.connectedId();
        barrier("marker1");
        assertThat(hooks("user.offline", "ann")).isEmpty();
        assertThat(hooks("user.online", "ann")).hasSize(1);

        reload.close();
        long gone = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks("user.offline", "ann").size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - gone)).isGreaterThanOrEqualTo(GRACE);
        barrier("marker2");
        assertThat(hooks("user.offline", "ann")).hasSize(1);
        assertThat(hooks("user.online", "ann")).hasSize(1);
    }

    @Test
    void aKilledNodesUsersGoOfflineOnceAfterItsTtl() throws Exception {
        Path output = Files.createTempFile("wshub-child", ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildWebhookNode.class.getName(),
                redis.url(), "x", Long.toString(TTL.toMillis()), backend.url("/hooks"), Long.toString(GRACE.toMillis()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            int port = await().atMost(Duration.ofSeconds(30)).until(() -> childPort(output, child), p -> p > 0);
            TestClient kim = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestHub.token("kim")));
            kim.connectedId();
            await().until(() -> hooks("user.online", "kim").size() == 1);
            assertThat(hooks("user.online", "kim").get(0).path("node").asText()).isEqualTo("x");

            child.destroyForcibly().waitFor();
            await().atMost(TTL.plus(GRACE).plusSeconds(8)).until(() -> hooks("user.offline", "kim").size() == 1);
            assertThat(hooks("user.offline", "kim").get(0).path("node").asText()).isIn("a", "b");
            barrier("marker3");
            assertThat(hooks("user.offline", "kim")).hasSize(1);
            kim.abort();
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static int childPort(Path output, Process child) throws Exception {
        String text = Files.readString(output);
        if (!child.isAlive()) {
            throw new IllegalStateException("child node exited with " + child.exitValue() + ":\n" + text);
        }
        Matcher m = PORT.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}

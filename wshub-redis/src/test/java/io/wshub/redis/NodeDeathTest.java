package io.wshub.redis;

import io.wshub.NodeStats;
import io.wshub.Target;
import io.wshub.UserCount;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node killed with SIGKILL (no cleanup at all) leaves presence, and the node stats list, within its TTL. */
class NodeDeathTest {
    static final Duration TTL = Duration.ofSeconds(3);
    static final Pattern PORT = Pattern.compile("^PORT (\\d+)$", Pattern.MULTILINE);

    @Test
    void aKilledNodeLeavesPresenceWithinItsTtl() throws Exception {
        Path output = Files.createTempFile("wshub-child", ".log");
        try (RedisServer redis = RedisServer.start();
             WsHub a = TestHub.start(cfg -> RedisCluster.install(cfg.nodeId("a"), redis.url(),
                     RedisCluster.Options.DEFAULTS.withPresenceTtl(TTL)))) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ChildNode.class.getName(),
                    redis.url(), "x", Long.toString(TTL.toMillis()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                int port = await().atMost(Duration.ofSeconds(30)).until(() -> childPort(output, child), p -> p > 0);
                try (TestClient zed = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + TestHub.token("zed")))) {
                    String zedId = zed.connectedId();
                    await().until(() -> RedisOutageTest.clientIds(a).contains(zedId)
                            && RedisOutageTest.nodes(a).contains("x") && connectionsOf(a, "x") == 1);
                    assertThat(a.send(Target.user("zed"), "ping", null).toCompletableFuture().join()).isEqualTo(1);

                    child.destroyForcibly().waitFor();
                    long killed = System.nanoTime();
                    await().atMost(TTL.plusSeconds(5)).until(() -> !RedisOutageTest.nodes(a).contains("x")
                            && !RedisOutageTest.clientIds(a).contains(zedId)
                            && a.users().toCompletableFuture().join().stream().map(UserCount::userId).noneMatch("zed"::equals)
                            && connectionsOf(a, "x") == -1);
                    System.out.printf("a SIGKILLed node left presence %d ms after the kill (TTL %d ms)%n",
                            (System.nanoTime() - killed) / 1_000_000, TTL.toMillis());
                    assertThat(a.send(Target.user("zed"), "ping", null).toCompletableFuture().join()).isZero();
                }
            } finally {
                child.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Connections in {@code node}'s stats record as {@code hub} sees it; -1 when not listed. */
    private static long connectionsOf(WsHub hub, String node) {
        return hub.nodeStats().toCompletableFuture().join().stream().filter(n -> n.nodeId().equals(node))
                .mapToLong(NodeStats::connections).findFirst().orElse(-1);
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

package io.wshub.http;

import io.wshub.FrameType;
import io.wshub.RawMessage;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.cluster.MemoryCluster;
import io.wshub.testing.FrameClient;
import io.wshub.testing.FrameClient.Frame;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The raw codec as GinSkeleton and the gin+gorilla chat tutorial use a WebSocket: frames go
 * unchanged to Java handlers and back, the HTTP API sends text/plain and octet-stream bodies as
 * text and binary frames, and both cross a two-node cluster with their frame type.
 */
class RawCodecTest {
    static final MemoryCluster cluster = new MemoryCluster();
    static final BlockingQueue<RawMessage> seen = new LinkedBlockingQueue<>();
    static WsHub a;
    static WsHub b;

    @BeforeAll
    static void start() {
        a = TestHub.configure(cfg -> cluster.install(cfg.codec("raw").nodeId("a")));
        a.onRaw(seen::add);
        a.onRaw(m -> m.reply(m.payload())); // the echo of examples/raw-echo
        a.onConnect(conn -> conn.join("gin-room"));
        a.start();
        b = TestHub.start(cfg -> cluster.install(cfg.codec("raw").nodeId("b")));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void textAndBinaryFramesReachTheHandlerAndComeBackUnchanged() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xc3};
        try (FrameClient c = FrameClient.connect(TestHub.ws(a, "gin"))) {
            c.sendText("hello {not json");
            Frame text = c.next(); // the first frame is the echo: no connected event in raw mode
            assertThat(text.type()).isEqualTo(FrameType.TEXT);
            assertThat(text.text()).isEqualTo("hello {not json");
            RawMessage m = seen.poll(10, TimeUnit.SECONDS);
            assertThat(m.connection().userId()).isEqualTo("gin");
            assertThat(m.type()).isEqualTo(FrameType.TEXT);
            assertThat(m.describe()).containsEntry("frame", "text").containsEntry("text", "hello {not json")
                    .containsEntry("userId", "gin");

            c.sendBinary(bytes);
            Frame binary = c.next();
            assertThat(binary.type()).isEqualTo(FrameType.BINARY);
            assertThat(binary.payload()).containsExactly(bytes);
            assertThat(seen.poll(10, TimeUnit.SECONDS).describe()).containsEntry("base64", "AAEC/8M=");

            c.sendText(""); // an empty frame is data too, not a heartbeat
            Frame empty = c.next();
            assertThat(empty.type()).isEqualTo(FrameType.TEXT);
            assertThat(empty.payload()).isEmpty();
            seen.clear();
            c.assertExhausted();
        }
    }

    @Test
    void theHttpApiSendsTextPlainAsTextAndOctetStreamAsBinaryToClientUserTagAndAll() {
        try (FrameClient c = FrameClient.connect(TestHub.ws(a, "ginny"))) {
            await().until(() -> a.connection(onlyClientOf("ginny")).isPresent());
            String id = onlyClientOf("ginny");
            assertThat(post(a, "/api/send/user/ginny", "text/plain; charset=utf-8", "to user ✓".getBytes(StandardCharsets.UTF_8))
                    .data().path("delivered").asInt()).isEqualTo(1);
            assertFrame(c.next(), FrameType.TEXT, "to user ✓".getBytes(StandardCharsets.UTF_8));
            post(a, "/api/send/client/" + id, "application/octet-stream", new byte[] {9, 8, 7});
            assertFrame(c.next(), FrameType.BINARY, new byte[] {9, 8, 7});
            post(a, "/api/send/tag/gin-room", "text/plain", "to tag".getBytes(StandardCharsets.UTF_8));
            assertFrame(c.next(), FrameType.TEXT, "to tag".getBytes(StandardCharsets.UTF_8));
            post(a, "/api/send/all", "application/octet-stream", new byte[0]);
            assertFrame(c.next(), FrameType.BINARY, new byte[0]);

            ApiClient.Answer bad = post(a, "/api/send/all", "text/plain", new byte[] {(byte) 0xc3, 0x28});
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.message()).contains("UTF-8");
            assertThat(a.sendRaw(Target.user("ginny"), FrameType.TEXT, "from java".getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture().join()).isEqualTo(1);
            assertFrame(c.next(), FrameType.TEXT, "from java".getBytes(StandardCharsets.UTF_8));
            seen.clear();
        }
    }

    @Test
    void rawFramesCrossTheClusterWithTheirFrameType() {
        try (FrameClient c = FrameClient.connect(TestHub.ws(a, "tutorial"))) {
            await().until(() -> b.users().toCompletableFuture().join().stream().anyMatch(u -> u.userId().equals("tutorial")));
            ApiClient.Answer text = post(b, "/api/send/user/tutorial", "text/plain", "via b".getBytes(StandardCharsets.UTF_8));
            assertThat(text.data().path("delivered").asInt()).isEqualTo(1); // counted by the cluster presence
            assertFrame(c.next(), FrameType.TEXT, "via b".getBytes(StandardCharsets.UTF_8));
            byte[] bytes = {(byte) 0x80, 0, (byte) 0xfe};
            post(b, "/api/send/tag/gin-room", "application/octet-stream", bytes);
            assertFrame(c.next(), FrameType.BINARY, bytes);
        }
    }

    @Test
    void aKickClosesWith4000WithoutAnEventFrame() {
        try (FrameClient c = FrameClient.connect(TestHub.ws(a, "kicked"))) {
            await().until(() -> a.connection(onlyClientOf("kicked")).isPresent());
            assertThat(a.kickUser("kicked", "bye").toCompletableFuture().join()).isEqualTo(1);
            assertThat(c.awaitClose(10)).isEqualTo(4000);
            c.assertExhausted();
        }
    }

    private static String onlyClientOf(String user) {
        var page = a.clients(new io.wshub.ClientQuery(user, null, null, 1, 20)).toCompletableFuture().join();
        return page.list().isEmpty() ? "none" : page.list().get(0).id();
    }

    private static ApiClient.Answer post(WsHub hub, String path, String contentType, byte[] body) {
        return ApiClient.with(hub, Map.of("X-API-Key", TestHub.API_KEY, "Content-Type", contentType))
                .send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static void assertFrame(Frame f, FrameType type, byte[] payload) {
        assertThat(f.type()).isEqualTo(type);
        assertThat(f.payload()).containsExactly(payload);
    }
}

package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/protocol.md §7 routing: middleware around handlers, binding, attributes, order, blocking handlers off the event loop. */
class HandlersTest {
    record Chat(String room, String text) {}

    static WsHub hub;
    static final List<String> trail = new CopyOnWriteArrayList<>();
    static final List<String> lifecycle = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        hub = TestHub.configure(cfg -> {});
        hub.use((ctx, next) -> {
            trail.add("before " + ctx.event());
            next.run();
            trail.add("after " + ctx.event());
        });
        hub.use((ctx, next) -> {
            if (ctx.event().startsWith("admin/") && !"root".equals(ctx.userId())) {
                ctx.error(403, "admins only");
                return;
            }
            next.run();
        });
        hub.on("chat/send", ctx -> ctx.reply(ctx.bind(Chat.class)));
        hub.on("admin/stats", ctx -> ctx.reply(Map.of("ok", true)));
        hub.on("me", ctx -> ctx.reply(Map.of("user", ctx.requireUser())));
        hub.on("count", ctx -> {
            Integer n = ctx.connection().attribute("n");
            n = n == null ? 1 : n + 1;
            ctx.connection().attribute("n", n);
            ctx.reply(n);
        });
        hub.on("thread", ctx -> ctx.reply(Thread.currentThread().getName()));
        hub.onBlocking("slow", ctx -> {
            Thread.sleep(100); // blocking is allowed here
            ctx.reply(Map.of("thread", Thread.currentThread().getName(), "n", ctx.data().path("n").asInt()));
        });
        hub.on("fast", ctx -> ctx.reply(Map.of("thread", Thread.currentThread().getName(), "n", ctx.data().path("n").asInt())));
        hub.onConnect(conn -> lifecycle.add("connect " + conn.userId()));
        hub.onClose((conn, status) -> lifecycle.add("close " + conn.userId() + " " + status.code()));
        hub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void middlewareRunsAroundHandlersAndCanStopThem() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "joe"));
             TestClient root = TestClient.connect(TestHub.ws(hub, "root"))) {
            c.connectedId();
            root.connectedId();
            trail.clear();
            assertThat(c.request("chat/send", Map.of("room", "r1", "text", "hi")).path("data").path("text").asText()).isEqualTo("hi");
            await().until(() -> trail.size() == 2);
            assertThat(trail).containsExactly("before chat/send", "after chat/send");
            JsonNode refused = c.request("admin/stats", null);
            assertThat(refused.path("code").asInt()).isEqualTo(403);
            assertThat(refused.path("errorMsg").asText()).isEqualTo("admins only");
            assertThat(root.request("admin/stats", null).path("data").path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void bindRejectsDataThatDoesNotFit() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "joe"))) {
            c.connectedId();
            JsonNode bad = c.request("chat/send", Map.of("room", "r1", "text", Map.of("nested", 1)));
            assertThat(bad.path("code").asInt()).isEqualTo(400);
            assertThat(bad.path("errorMsg").asText()).startsWith("invalid data");
        }
    }

    @Test
    void requireUserAnswers401ForAnonymousConnections() {
        try (TestClient anon = TestClient.connect(TestHub.ws(hub));
             TestClient named = TestClient.connect(TestHub.ws(hub, "ida"))) {
            anon.connectedId();
            named.connectedId();
            assertThat(anon.request("me", null).path("code").asInt()).isEqualTo(401);
            assertThat(named.request("me", null).path("data").path("user").asText()).isEqualTo("ida");
        }
    }

    @Test
    void attributesLiveAsLongAsTheConnection() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            assertThat(c.request("count", null).path("data").asInt()).isEqualTo(1);
            assertThat(c.request("count", null).path("data").asInt()).isEqualTo(2);
        }
        try (TestClient fresh = TestClient.connect(TestHub.ws(hub))) {
            fresh.connectedId();
            assertThat(fresh.request("count", null).path("data").asInt()).isEqualTo(1);
        }
    }

    @Test
    void blockingHandlersRunOnWorkersAndOrderIsKeptPerConnection() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            assertThat(c.request("thread", null).path("data").asText()).startsWith("wshub-io");
            for (int n = 0; n < 6; n++) {
                c.send(n % 2 == 0 ? "slow" : "fast", Map.of("n", n), Integer.toString(n));
            }
            for (int n = 0; n < 6; n++) {
                JsonNode reply = c.next();
                assertThat(reply.path("data").path("n").asInt()).as("order").isEqualTo(n);
                if (n % 2 == 0) {
                    assertThat(reply.path("data").path("thread").asText()).startsWith("wshub-worker");
                }
            }
        }
    }

    @Test
    void slowHandlersOfOneConnectionDoNotDelayOthers() {
        try (TestClient busy = TestClient.connect(TestHub.ws(hub));
             TestClient other = TestClient.connect(TestHub.ws(hub))) {
            busy.connectedId();
            other.connectedId();
            for (int n = 0; n < 10; n++) {
                busy.send("slow", Map.of("n", n), Integer.toString(n));
            }
            // The other connection is answered while busy's ten slow calls (about a second) are queued.
            assertThat(other.request("ping", null).path("code").asInt()).isZero();
            assertThat(busy.pending()).isLessThan(10);
            for (int n = 0; n < 10; n++) {
                assertThat(busy.next("slow").path("data").path("n").asInt()).isEqualTo(n);
            }
        }
    }

    @Test
    void connectAndCloseHooksSeeTheUserAndCloseCode() {
        lifecycle.clear();
        TestClient c = TestClient.connect(TestHub.ws(hub, "hooked"));
        c.connectedId();
        c.close();
        await().until(() -> lifecycle.contains("close hooked 1000"));
        // Other tests' connections may still be closing: look at this user's events only.
        assertThat(lifecycle.stream().filter(e -> e.contains("hooked")).toList())
                .containsExactly("connect hooked", "close hooked 1000");
    }
}

package io.wshub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.cluster.MemoryOnlineUsers;
import io.wshub.proxy.Backend;
import io.wshub.proxy.Signer;
import io.wshub.testing.TestBackend;
import io.wshub.testing.TestBackend.Answer;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/backend.md "Webhooks": signed, retried, bounded; online/offline with a grace. */
class WebhooksTest {

    static List<JsonNode> hooks(TestBackend backend, String type) {
        return backend.requests.stream().filter(r -> r.path().equals("/hooks")).map(TestBackend.Request::json)
                .filter(j -> j.path("type").asText().equals(type)).toList();
    }

    /**
     * A user that comes and goes, then the grace passes: once its offline arrived, a sweep ran
     * after everything before it (any offline due by then has been sent).
     */
    static void barrier(WsHub hub, TestBackend backend, java.util.concurrent.atomic.AtomicLong now, Duration grace, String user) {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, user))) {
            c.connectedId();
        }
        // its disconnect webhook leaves after the hub counted it gone, at the time before the jump
        await().until(() -> hooks(backend, "disconnect").stream().anyMatch(j -> j.path("user").asText().equals(user)));
        now.addAndGet(grace.toNanos() * 2);
        await().until(() -> hooks(backend, "user.offline").stream().anyMatch(j -> j.path("user").asText().equals(user)));
    }

    @Test
    void lifecycleWebhooksAreSignedAndOnlineOfflineRespectTheGrace() throws Exception {
        try (TestBackend backend = new TestBackend()) {
            backend.on("/hooks", req -> Answer.json(""));
            // Time is injected: the grace passes when the test says so, however slow the machine.
            java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
            Duration grace = Duration.ofSeconds(5);
            WsHub hub = TestHub.configure(cfg -> {});
            Webhooks hooks = new Webhooks(WebhookOptions.of(backend.url("/hooks")).withGrace(grace),
                    new Backend("hook-secret", 100, null), new MemoryOnlineUsers(now::get), new SimpleMeterRegistry()).attach(hub);
            hub.start();
            try {
                String id;
                try (TestClient a = TestClient.connect(TestHub.ws(hub, "zoe")); TestClient b = TestClient.connect(TestHub.ws(hub, "zoe"))) {
                    id = a.connectedId();
                    b.connectedId();
                    a.request("join", Map.of("id", "room:1"));
                    a.request("quit", Map.of("id", "room:1"));
                    hub.join(Target.client(id), "server-side").toCompletableFuture().join();
                    await().until(() -> hooks(backend, "quit").size() == 1 && hooks(backend, "join").size() == 2);
                }
                await().until(() -> hooks(backend, "disconnect").size() == 2);
                JsonNode connect = hooks(backend, "connect").stream().filter(j -> j.path("client").asText().equals(id)).findFirst().orElseThrow();
                assertThat(connect.path("user").asText()).isEqualTo("zoe");
                assertThat(connect.path("node").asText()).isEqualTo(hub.nodeId());
                assertThat(connect.path("ip").asText()).isEqualTo("127.0.0.1");
                assertThat(hooks(backend, "join")).extracting(j -> j.path("tag").asText()).containsExactlyInAnyOrder("room:1", "server-side");
                assertThat(hooks(backend, "disconnect")).allSatisfy(j -> assertThat(j.path("code").asInt()).isEqualTo(1000));
                assertThat(hooks(backend, "user.online")).hasSize(1);
                assertThat(hooks(backend, "user.offline")).as("both devices gone, but the grace has not passed").isEmpty();

                // a reload within the grace does not flap
                try (TestClient again = TestClient.connect(TestHub.ws(hub, "zoe"))) {
                    String againId = again.connectedId();
                    // the client hears it is connected before the hub's listeners run: the grace
                    // may only pass once the hub counted it (its connect webhook says so)
                    await().until(() -> hooks(backend, "connect").stream().anyMatch(j -> j.path("client").asText().equals(againId)));
                    now.addAndGet(grace.toNanos() * 2);
                    barrier(hub, backend, now, grace, "marker1");
                    assertThat(hooks(backend, "user.offline")).extracting(j -> j.path("user").asText()).doesNotContain("zoe");
                }
                await().until(() -> hooks(backend, "disconnect").stream().filter(j -> j.path("user").asText().equals("zoe")).count() == 3);
                barrier(hub, backend, now, grace, "marker2");
                assertThat(hooks(backend, "user.offline")).extracting(j -> j.path("user").asText()).containsOnlyOnce("zoe");
                assertThat(hooks(backend, "user.online")).extracting(j -> j.path("user").asText()).containsOnlyOnce("zoe");

                TestBackend.Request signed = backend.requests.get(0);
                long ts = Long.parseLong(signed.header(Signer.TIMESTAMP_HEADER));
                assertThat(new Signer("hook-secret").verify(ts, signed.body(), signed.header(Signer.SIGNATURE_HEADER))).isTrue();
                assertThat(backend.requests.stream().map(r -> r.json().path("id").asText()).distinct().count())
                        .isEqualTo(backend.requests.size());
            } finally {
                hub.close();
                hooks.close();
            }
        }
    }

    @Test
    void failedDeliveriesAreRetriedAndAFullQueueDropsAndCounts() throws Exception {
        try (TestBackend backend = new TestBackend()) {
            AtomicInteger calls = new AtomicInteger();
            backend.on("/hooks", req -> calls.incrementAndGet() <= 2 ? new Answer(503, "{}") : Answer.json("{}"));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            WsHub hub = TestHub.configure(cfg -> {});
            Webhooks hooks = new Webhooks(WebhookOptions.of(backend.url("/hooks")).withTypes(Set.of(Webhook.CONNECT)),
                    new Backend(null, 100, null), new MemoryOnlineUsers(), meters).attach(hub);
            hub.start();
            try (TestClient c = TestClient.connect(TestHub.ws(hub, "yan"))) {
                c.connectedId();
                await().until(() -> calls.get() == 3);
                assertThat(backend.requests).extracting(r -> r.json().path("type").asText()).containsOnly("connect");
                assertThat(backend.requests.stream().map(r -> r.json().path("id").asText()).distinct()).hasSize(1);
            } finally {
                hub.close();
                hooks.close();
            }

            // a stalled backend and a queue of one: the backlog cannot grow
            java.util.concurrent.CountDownLatch stall = new java.util.concurrent.CountDownLatch(1);
            backend.on("/stalled", req -> {
                stall.await(10, java.util.concurrent.TimeUnit.SECONDS);
                return Answer.json("{}");
            });
            WsHub small = TestHub.configure(cfg -> {});
            Webhooks tiny = new Webhooks(WebhookOptions.of(backend.url("/stalled")).withQueue(1, 1),
                    new Backend(null, 100, null), new MemoryOnlineUsers(), meters).attach(small);
            small.start();
            try (TestClient c = TestClient.connect(TestHub.ws(small, "yan"))) {
                c.connectedId();
                for (int i = 0; i < 50; i++) {
                    c.request("join", Map.of("id", "t" + i));
                }
                await().until(() -> meters.get("wshub.webhooks.dropped").tag("reason", "queue_full").counter().count() > 0);
                assertThat(tiny.queued()).isLessThanOrEqualTo(1);
            } finally {
                stall.countDown();
                small.close();
                tiny.close();
            }
        }
    }
}

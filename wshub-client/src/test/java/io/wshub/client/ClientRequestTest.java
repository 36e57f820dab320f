package io.wshub.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Requests, replies, errors and pushes against a real hub, in both codecs. */
class ClientRequestTest {
    record Chat(String room, String text) {}

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private WsHub hub(String codec) {
        WsHub hub = TestHub.configure(cfg -> cfg.codec(codec));
        hub.on("echo", ctx -> ctx.reply(ctx.data()));
        hub.on("chat/send", ctx -> {
            Chat chat = ctx.bind(Chat.class);
            ctx.hub().sendToUser(ctx.requireUser(), "chat/message", chat);
            ctx.reply(Map.of("ok", true, "room", chat.room()));
        });
        hub.on("never", ctx -> { }); // no reply: the client's timeout must fire
        open.add(hub.start());
        return hub;
    }

    private WsHubClient client(WsHub hub, ClientCodec codec, String user) {
        // 30 s: these tests are about matching and codes, not latency; CI machines are busy.
        WsHubClient client = WsHubClient.builder(URI.create("ws://127.0.0.1:" + hub.port() + "/ws"))
                .token(TestHub.token(user)).codec(codec).requestTimeout(Duration.ofSeconds(30)).build();
        open.add(client);
        return client;
    }

    @Test
    void typedRequestAndPushRoundTrip() throws Exception {
        WsHub hub = hub("json");
        WsHubClient client = client(hub, ClientCodec.JSON, "alice");
        List<Chat> pushed = new CopyOnWriteArrayList<>();
        client.on("chat/message", Chat.class, pushed::add);
        client.connect().get(20, TimeUnit.SECONDS);

        record Ack(boolean ok, String room) {}
        Ack ack = client.request("chat/send", new Chat("r1", "hi"), Ack.class).get(20, TimeUnit.SECONDS);

        assertThat(ack).isEqualTo(new Ack(true, "r1"));
        await().untilAsserted(() -> assertThat(pushed).containsExactly(new Chat("r1", "hi")));
        assertThat(client.userId()).isEqualTo("alice");
        assertThat(client.clientId()).isNotBlank();
    }

    @Test
    void serverErrorsFailTheFutureWithTheirCode() throws Exception {
        WsHub hub = hub("json");
        WsHubClient client = client(hub, ClientCodec.JSON, "bob");
        client.connect().get(20, TimeUnit.SECONDS);

        assertThatThrownBy(() -> client.request("no/such", null).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(WsHubClientException.Kind.SERVER_ERROR);
                    assertThat(e.serverCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("unknown event");
                });
        assertThatThrownBy(() -> client.request("chat/send", Map.of("room", List.of()), JsonNode.class).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class, e -> assertThat(e.serverCode()).isEqualTo(400));
    }

    @Test
    void aRequestWithoutReplyTimesOutAndTheConnectionStaysUsable() throws Exception {
        WsHub hub = hub("json");
        WsHubClient client = client(hub, ClientCodec.JSON, "carol");
        client.connect().get(20, TimeUnit.SECONDS);

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.request("never", null, Duration.ofMillis(300)).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class,
                        e -> assertThat(e.kind()).isEqualTo(WsHubClientException.Kind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        assertThat(client.request("echo", Map.of("n", 1)).get(20, TimeUnit.SECONDS).path("n").asInt()).isEqualTo(1);
        assertThat(client.state()).isEqualTo(ClientState.OPEN);
    }

    @Test
    void aThousandConcurrentRequestsEachGetTheirOwnReply() throws Exception {
        WsHub hub = hub("json");
        WsHubClient client = client(hub, ClientCodec.JSON, "dave");
        client.connect().get(20, TimeUnit.SECONDS);

        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<CompletableFuture<JsonNode>>> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                sent.add(CompletableFuture.supplyAsync(() -> client.request("echo", Map.of("n", n)), callers));
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(sent.get(i).get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS).path("n").asInt()).isEqualTo(i);
            }
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void wsrvCodecSpeaksCmdAndStatus() throws Exception {
        WsHub hub = hub("wsrv");
        WsHubClient client = client(hub, ClientCodec.WSRV, "erin");
        List<ServerMessage> pushes = new CopyOnWriteArrayList<>();
        client.on("chat/message", pushes::add);
        client.connect().get(20, TimeUnit.SECONDS);

        assertThat(client.request("echo", Map.of("x", "y")).get(20, TimeUnit.SECONDS).path("x").asText()).isEqualTo("y");
        client.request("chat/send", new Chat("r2", "yo")).get(20, TimeUnit.SECONDS);
        await().untilAsserted(() -> assertThat(pushes).singleElement()
                .satisfies(m -> {
                    assertThat(m.data().path("text").asText()).isEqualTo("yo");
                    assertThat(m.seqno()).hasSize(8); // wsrv gives pushes a random seqno
                }));
        assertThatThrownBy(() -> client.request("no/such", null).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class, e -> assertThat(e.serverCode()).isEqualTo(-1)); // wsrv: "not implement"
    }

    @Test
    void aClosedClientRefusesWork() throws Exception {
        WsHub hub = hub("json");
        WsHubClient client = client(hub, ClientCodec.JSON, "frank");
        client.connect().get(20, TimeUnit.SECONDS);
        await().until(() -> hub.stats().toCompletableFuture().join().connections() == 1);

        client.close();

        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.send("echo", null)).isFalse();
        assertThatThrownBy(() -> client.request("echo", null).join()).cause()
                .isInstanceOfSatisfying(WsHubClientException.class,
                        e -> assertThat(e.kind()).isEqualTo(WsHubClientException.Kind.CLOSED));
        await().until(() -> hub.stats().toCompletableFuture().join().connections() == 0);
    }
}

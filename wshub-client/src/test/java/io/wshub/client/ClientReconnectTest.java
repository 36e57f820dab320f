package io.wshub.client;

import io.wshub.WsHub;
import io.wshub.auth.HmacTokens;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The connection's life: server restarts, kicks and token refresh, against real hubs. */
class ClientReconnectTest {
    // Short delays keep the test fast; full jitter is kept so the real delay code runs.
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 2, 1, Duration.ofSeconds(5));

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private WsHub startHub(int port, AtomicInteger connects) {
        WsHub hub = TestHub.configure(cfg -> cfg.port(port));
        hub.on("echo", ctx -> ctx.reply(ctx.data()));
        hub.onConnect(conn -> connects.incrementAndGet());
        open.add(hub.start());
        return hub;
    }

    private static long connections(WsHub hub) {
        return hub.stats().toCompletableFuture().join().connections();
    }

    @Test
    void reconnectsAfterAServerRestartWithFreshTokenTagsAndQueuedSends() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        WsHub first = startHub(0, connects);
        int port = first.port();
        AtomicInteger tokens = new AtomicInteger();
        WsHubClient client = WsHubClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .tokenSupplier(() -> {
                    tokens.incrementAndGet();
                    return TestHub.token("alice");
                })
                .backoff(FAST).build();
        open.add(client);
        List<CloseInfo> closes = new CopyOnWriteArrayList<>();
        List<Integer> opens = new CopyOnWriteArrayList<>();
        List<String> news = new CopyOnWriteArrayList<>();
        client.onClose(closes::add);
        client.onOpen(opens::add);
        client.on("news", m -> news.add(m.data().path("n").asText()));
        client.connect().get(20, TimeUnit.SECONDS);
        assertThat(client.join("news").get(20, TimeUnit.SECONDS)).containsExactly("news");
        String firstId = client.clientId(); // the connected event came before the join reply

        first.close(); // 1001 to every client, then the port is free
        await().until(() -> client.state() == ClientState.RECONNECTING);
        assertThat(closes).first().satisfies(c -> {
            assertThat(c.code()).isEqualTo(CloseInfo.GOING_AWAY);
            assertThat(c.willReconnect()).isTrue();
        });
        var queuedEcho = client.request("echo", Map.of("queued", true)); // waits in the offline queue

        WsHub second = startHub(port, connects);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ClientState.OPEN);
        assertThat(queuedEcho.get(20, TimeUnit.SECONDS).path("queued").asBoolean()).isTrue();
        await().until(() -> second.tags().toCompletableFuture().join().size() == 1); // re-joined by itself
        second.sendToTag("news", "news", Map.of("n", "after-restart"));

        await().untilAsserted(() -> assertThat(news).containsExactly("after-restart"));
        assertThat(client.clientId()).isNotEqualTo(firstId);
        assertThat(tokens).hasValueGreaterThanOrEqualTo(2);
        assertThat(opens.get(0)).isZero();
        assertThat(opens.get(opens.size() - 1)).isPositive();
    }

    @Test
    void aKickedClientStaysDisconnectedUntilToldOtherwise() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        WsHub hub = startHub(0, connects);
        WsHubClient client = WsHubClient.builder(TestHub.ws(hub)).token(TestHub.token("bob")).backoff(FAST).build();
        open.add(client);
        List<String> kicks = new CopyOnWriteArrayList<>();
        List<CloseInfo> closes = new CopyOnWriteArrayList<>();
        client.onKick(kicks::add);
        client.onClose(closes::add);
        client.connect().get(20, TimeUnit.SECONDS);
        await().until(() -> client.clientId() != null); // from the connected event that follows the open

        assertThat(hub.kickClient(client.clientId(), "bye now").toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo(1);

        await().until(() -> client.state() == ClientState.CLOSED);
        assertThat(kicks).containsExactly("bye now");
        assertThat(closes).singleElement().satisfies(c -> {
            assertThat(c.code()).isEqualTo(CloseInfo.KICKED);
            assertThat(c.willReconnect()).isFalse();
        });
        // Several times the largest backoff (400 ms): a reconnect would have happened by now.
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).until(() -> connects.get() == 1 && connections(hub) == 0);

        client.connect().get(20, TimeUnit.SECONDS); // the app decides to come back
        await().untilAsserted(() -> assertThat(connects).hasValue(2)); // onConnect runs just after the upgrade
    }

    @Test
    void refreshesTheTokenBeforeItExpiresAndKeepsTheConnection() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        WsHub hub = startHub(0, connects);
        AtomicInteger issued = new AtomicInteger();
        AtomicReference<Instant> firstExpiry = new AtomicReference<>();
        // The first token lives 6 s from the moment the client asks for it (room for a slow
        // upgrade on a busy machine); refreshed 5 s before exp, so about a second in. The
        // refreshed tokens live an hour.
        WsHubClient client = WsHubClient.builder(TestHub.ws(hub))
                .tokenSupplier(() -> {
                    if (issued.getAndIncrement() > 0) return TestHub.token("carol");
                    firstExpiry.set(Instant.now().plusSeconds(6));
                    return HmacTokens.issue(TestHub.SECRET, "carol", Duration.ofSeconds(6));
                })
                .refreshBeforeExpiry(Duration.ofSeconds(5)).backoff(FAST).build();
        open.add(client);
        List<CloseInfo> closes = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        client.onClose(closes::add);
        client.onError(errors::add);
        client.connect().get(20, TimeUnit.SECONDS);
        await().until(() -> client.clientId() != null);
        String id = client.clientId();

        await().atMost(Duration.ofSeconds(10)).until(() -> issued.get() >= 2);
        // Past the first token's exp (plus a second): without the refresh the server closes with 4001.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(firstExpiry.get().plusSeconds(1)));
        assertThat(client.request("echo", Map.of("still", "here")).get(20, TimeUnit.SECONDS).path("still").asText()).isEqualTo("here");

        assertThat(errors).isEmpty();
        assertThat(closes).isEmpty();
        assertThat(client.clientId()).isEqualTo(id);
        assertThat(connects).hasValue(1);
        assertThat(issued).hasValue(2);
    }

    @Test
    void anExpiredConnectionReconnectsAtOnceWithAFreshToken() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        WsHub hub = startHub(0, connects);
        AtomicInteger issued = new AtomicInteger();
        String shortLived = HmacTokens.issue(TestHub.SECRET, "dana", Duration.ofSeconds(1));
        // Refreshing is off: the server's 4001 at exp is the path under test.
        WsHubClient client = WsHubClient.builder(TestHub.ws(hub))
                .tokenSupplier(() -> issued.getAndIncrement() == 0 ? shortLived : TestHub.token("dana"))
                .refreshBeforeExpiry(Duration.ZERO).backoff(FAST).build();
        open.add(client);
        List<CloseInfo> closes = new CopyOnWriteArrayList<>();
        client.onClose(closes::add);
        client.connect().get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(8)).until(() -> connects.get() == 2 && client.state() == ClientState.OPEN);
        assertThat(closes).singleElement().satisfies(c -> {
            assertThat(c.code()).isEqualTo(CloseInfo.TOKEN_EXPIRED);
            assertThat(c.willReconnect()).isTrue();
        });
        assertThat(client.request("echo", Map.of("ok", 1)).get(20, TimeUnit.SECONDS).path("ok").asInt()).isEqualTo(1);
    }
}

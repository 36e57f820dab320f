package io.wshub.client;

import io.wshub.WsHub;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The offline queue's bound and the heartbeat that notices a silent server. */
class ClientOfflineTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 2, 1, Duration.ofSeconds(5));

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void whileNoServerIsThereTheQueueHoldsItsLimitAndCloseFailsWhatWaits() throws Exception {
        WsHubClient client = WsHubClient.builder(URI.create("ws://127.0.0.1:" + freePort() + "/ws"))
                .queueLimit(2).backoff(FAST).build();
        open.add(client);
        CompletableFuture<WsHubClient> connected = client.connect();
        await().until(() -> client.state() == ClientState.RECONNECTING); // the first attempt was refused

        CompletableFuture<?> first = client.request("echo", Map.of("n", 1));
        CompletableFuture<?> second = client.request("echo", Map.of("n", 2));
        CompletableFuture<?> third = client.request("echo", Map.of("n", 3));

        assertThatThrownBy(() -> third.get(20, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(WsHubClientException.class, e -> assertThat(e.kind()).isEqualTo(WsHubClientException.Kind.QUEUE_FULL));
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        client.close();
        for (CompletableFuture<?> f : List.of(first, second, connected)) {
            assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(WsHubClientException.class, e -> assertThat(e.kind()).isEqualTo(WsHubClientException.Kind.CLOSED));
        }
    }

    @Test
    void aServerThatStopsAnsweringIsDroppedWithHeartbeatTimeoutAndReconnected() throws Exception {
        // The hub answers nothing to ping (middleware that swallows it): a stuck server, as the client sees it.
        WsHub hub = TestHub.configure(cfg -> { });
        hub.use((ctx, next) -> {
            if (!ctx.event().equals("ping")) next.run();
        });
        hub.on("echo", ctx -> ctx.reply(ctx.data()));
        open.add(hub.start());
        WsHubClient client = WsHubClient.builder(TestHub.ws(hub)).token(TestHub.token("hb"))
                .heartbeat(Duration.ofMillis(300), Duration.ofMillis(300)).backoff(FAST).build();
        open.add(client);
        List<CloseInfo> closes = new CopyOnWriteArrayList<>();
        List<Integer> opens = new CopyOnWriteArrayList<>();
        client.onClose(closes::add);
        client.onOpen(opens::add);
        client.connect().get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> opens.size() >= 2);
        assertThat(closes).first().satisfies(c -> {
            assertThat(c.code()).isEqualTo(CloseInfo.HEARTBEAT_TIMEOUT);
            assertThat(c.willReconnect()).isTrue();
        });
    }
}

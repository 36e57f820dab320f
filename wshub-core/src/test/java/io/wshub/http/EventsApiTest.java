package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /api/events}: this node's connects, joins, quits, kicks and closes, in order, paged by sequence number. */
class EventsApiTest {

    @Test
    void connectJoinQuitKickAndCloseAppearInOrder() {
        try (WsHub hub = TestHub.start(cfg -> {})) {
            ApiClient api = ApiClient.of(hub);
            TestClient eve = TestClient.connect(TestHub.ws(hub, "eve"));
            String id = eve.connectedId();
            eve.request("join", Map.of("id", "night"));
            eve.request("quit", Map.of("id", "night"));
            eve.request("quit", Map.of("id", "never-joined")); // took no effect: not logged
            assertThat(api.post("/api/users/eve/kick", Map.of("reason", "end of shift")).status()).isEqualTo(200);
            eve.awaitClose();
            await().until(() -> kinds(api.get("/api/events").data()).contains("kick")); // the server's side of the close is done
            TestClient anon = TestClient.connect(TestHub.ws(hub));
            anon.connectedId();
            anon.close();

            await().untilAsserted(() -> assertThat(kinds(api.get("/api/events").data()))
                    .containsExactly("connect", "join", "quit", "kick", "connect", "close"));
            JsonNode all = api.get("/api/events").data();
            JsonNode kick = all.path("list").get(3);
            assertThat(kick.path("clientId").asText()).isEqualTo(id);
            assertThat(kick.path("userId").asText()).isEqualTo("eve");
            assertThat(kick.path("code").asInt()).isEqualTo(4000);
            assertThat(kick.path("reason").asText()).isEqualTo("end of shift");
            assertThat(all.path("list").get(1).path("tag").asText()).isEqualTo("night");
            assertThat(all.path("list").get(4).has("userId")).as("anonymous: no userId").isFalse();

            long last = all.path("last").asLong();
            assertThat(last).isEqualTo(6);
            JsonNode page = api.get("/api/events?after=2&limit=2").data();
            assertThat(kinds(page)).containsExactly("quit", "kick");
            assertThat(api.get("/api/events?after=" + last).data().path("list").size()).isZero();
        }
    }

    @Test
    void badParametersAre400AndTheKeyIsRequired() {
        try (WsHub hub = TestHub.start(cfg -> {})) {
            ApiClient api = ApiClient.of(hub);
            assertThat(api.get("/api/events?after=-1").status()).isEqualTo(400);
            assertThat(api.get("/api/events?after=x").status()).isEqualTo(400);
            assertThat(api.get("/api/events?limit=0").status()).isEqualTo(400);
            assertThat(api.get("/api/events?limit=1001").status()).isEqualTo(400);
            assertThat(ApiClient.with(hub, Map.of()).get("/api/events").status()).isEqualTo(401);
        }
    }

    private static List<String> kinds(JsonNode data) {
        List<String> kinds = new ArrayList<>();
        data.path("list").forEach(e -> kinds.add(e.path("kind").asText()));
        return kinds;
    }
}

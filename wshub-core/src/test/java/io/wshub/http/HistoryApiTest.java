package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.HistoryRule;
import io.wshub.SendResult;
import io.wshub.Target;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The history routes and the positions in send answers (docs/history.md). */
class HistoryApiTest {
    static WsHub hub;
    static ApiClient api;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.history(HistoryRule.tags("news:*", 3, Duration.ofMinutes(1)),
                HistoryRule.users(10, Duration.ofMinutes(1))));
        api = ApiClient.of(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aSendToAHistoryTargetAnswersItsPositionAndOthersAnswerAsBefore() {
        try (TestClient reader = TestClient.connect(TestHub.ws(hub))) {
            reader.connectedId();
            reader.request("join", Map.of("id", "news:1"));
            JsonNode first = api.post("/api/send/tag/news:1", Map.of("event", "n", "data", 1)).json().path("data");
            assertThat(first.path("delivered").asInt()).isEqualTo(1);
            assertThat(first.path("stream").asText()).isEqualTo("tag:news:1");
            assertThat(first.path("offset").asLong()).isEqualTo(1);
            JsonNode push = reader.next("n");
            assertThat(push.path("epoch").asText()).isEqualTo(first.path("epoch").asText());
        }
        assertThat(api.post("/api/send/tag/plain", Map.of("event", "n")).json().toString())
                .isEqualTo("{\"code\":0,\"data\":{\"delivered\":0}}");
        JsonNode toUser = api.post("/api/send/user/u1", Map.of("event", "n")).json().path("data");
        assertThat(toUser.path("stream").asText()).isEqualTo("user:u1");
        assertThat(toUser.path("offset").asLong()).isEqualTo(1);
    }

    @Test
    void historyReadsPageAfterSinceAndDeleteStartsANewEpoch() {
        for (int i = 1; i <= 5; i++) {
            api.post("/api/send/tag/news:read", Map.of("event", "n", "data", Map.of("i", i)));
        }
        JsonNode page = api.get("/api/history/tag/news:read?since=3").json().path("data");
        assertThat(page.path("stream").asText()).isEqualTo("tag:news:read");
        assertThat(page.path("offset").asLong()).isEqualTo(5);
        assertThat(page.path("list").toString()).startsWith("[{\"offset\":4,\"event\":\"n\",\"data\":{\"i\":4}},{\"offset\":5,");
        assertThat(api.get("/api/history/tag/news:read?limit=1").json().path("data").path("list").get(0).path("offset").asLong())
                .as("only 3 kept").isEqualTo(3);
        String epoch = page.path("epoch").asText();

        assertThat(api.call("DELETE", "/api/history/tag/news:read", null).json().toString())
                .isEqualTo("{\"code\":0,\"data\":{\"removed\":true}}");
        JsonNode after = api.get("/api/history/tag/news:read").json().path("data");
        assertThat(after.path("offset").asLong()).isZero();
        assertThat(after.path("epoch").asText()).isNotEqualTo(epoch);

        SendResult viaJava = hub.publish(Target.tag("news:read"), "n", "x").toCompletableFuture().join();
        assertThat(viaJava.position().offset()).isEqualTo(1);
        assertThat(viaJava.position().epoch()).isEqualTo(after.path("epoch").asText());
        assertThat(api.get("/api/history/user/u-none").json().path("data").path("list").size()).isZero();
    }

    @Test
    void badQueriesAndTargetsWithoutHistoryGetTheDocumentedErrors() {
        assertThat(api.get("/api/history/tag/plain").json().toString())
                .isEqualTo("{\"code\":404,\"message\":\"no history for tag plain\"}");
        assertThat(api.call("DELETE", "/api/history/tag/plain", null).json().path("code").asInt()).isEqualTo(404);
        assertThat(api.get("/api/history/tag/news:1?since=x").json().path("code").asInt()).isEqualTo(400);
        assertThat(api.get("/api/history/tag/news:1?limit=-1").json().path("code").asInt()).isEqualTo(400);
        assertThat(ApiClient.with(hub, Map.of()).get("/api/history/tag/news:1").json().path("code").asInt()).isEqualTo(401);
        assertThat(api.post("/api/history/tag/news:1", Map.of()).json().path("code").asInt()).isEqualTo(405);
    }
}

package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a HotGo front end and backend do, unchanged (docs/migrating-from-hotgo.md): connect to
 * {@code /socket?authorization=<jwt>}, join a numeric tag id, and a backend posting HotGo's
 * {@code toTag} body.
 */
class HotGoMigrationTest {
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.paths("/socket").hotgoSendPath("/socket/send/toTag"));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static TestClient hotgoPage(String user) {
        TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + hub.port() + "/socket?authorization=" + TestHub.token(user)));
        c.next("connected");
        return c;
    }

    @Test
    void joinAndQuitTakeANumericIdAsHotGoConvertsIt() {
        try (TestClient page = hotgoPage("1")) {
            page.send("{\"event\":\"join\",\"data\":{\"id\":42}}");
            JsonNode joined = page.next("join");
            assertThat(joined.path("code").asInt()).isZero();
            assertThat(joined.path("data").toString()).isEqualTo("[\"42\"]");
            page.send("{\"event\":\"join\",\"data\":{\"id\":1e3}}");
            assertThat(page.next("join").path("data").toString()).isEqualTo("[\"1000\",\"42\"]");
            page.send("{\"event\":\"quit\",\"data\":{\"id\":42}}");
            assertThat(page.next("quit").path("data").toString()).isEqualTo("[\"1000\"]");
            page.send("{\"event\":\"join\",\"data\":{\"id\":true}}");
            assertThat(page.next("join").path("code").asInt()).isEqualTo(400);
        }
    }

    @Test
    void hotgosToTagBodyPushesTheResponseAsHotGoDoes() {
        try (TestClient page = hotgoPage("2")) {
            page.request("join", Map.of("id", 7));
            ApiClient.Answer sent = ApiClient.of(hub).post("/socket/send/toTag",
                    Map.of("tag", "7", "response", Map.of("event", "admin/notice", "data", Map.of("text", "hi"))));
            assertThat(sent.status()).isEqualTo(200);
            assertThat(sent.data().path("delivered").asInt()).isEqualTo(1);
            JsonNode push = page.next("admin/notice");
            assertThat(List.copyOf(fields(push))).containsExactly("event", "code", "data", "timestamp");
            assertThat(push.path("code").asInt()).isZero();
            // HotGo sends the whole response object as data, re-marshalled with its defaults
            assertThat(push.path("data").toString())
                    .isEqualTo("{\"event\":\"admin/notice\",\"data\":{\"text\":\"hi\"},\"code\":0,\"timestamp\":0}");
        }
    }

    @Test
    void theToTagEndpointNeedsTheApiKeyAndAValidBody() {
        ApiClient.Answer noKey = ApiClient.with(hub, Map.of()).post("/socket/send/toTag",
                Map.of("tag", "7", "response", Map.of("event", "x")));
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(ApiClient.of(hub).post("/socket/send/toTag", Map.of("response", Map.of("event", "x"))).status()).isEqualTo(400);
        assertThat(ApiClient.of(hub).post("/socket/send/toTag", Map.of("tag", "7", "response", Map.of("data", 1))).message())
                .contains("response.event");
        assertThat(ApiClient.of(hub).post("/socket/send/toTag", Map.of("tag", "7", "response", "x")).status()).isEqualTo(400);
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

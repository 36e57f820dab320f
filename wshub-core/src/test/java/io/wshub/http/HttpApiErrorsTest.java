package io.wshub.http;

import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a caller that gets something wrong sees: a 4xx JSON answer that says what is wrong. */
class HttpApiErrorsTest {
    static final int BODY_LIMIT = 1024;
    /** One call per route, plus an unknown path and a wrong method: every one needs the key. */
    static final List<String[]> CALLS = List.of(
            new String[] {"POST", "/api/send/all"}, new String[] {"POST", "/api/send/client/x"},
            new String[] {"POST", "/api/send/user/x"}, new String[] {"POST", "/api/send/tag/x"},
            new String[] {"GET", "/api/clients"}, new String[] {"GET", "/api/users"}, new String[] {"GET", "/api/tags"},
            new String[] {"POST", "/api/clients/x/kick"}, new String[] {"POST", "/api/users/x/kick"},
            new String[] {"GET", "/api/stats"}, new String[] {"GET", "/api/nothing/here"},
            new String[] {"DELETE", "/api/stats"}, new String[] {"GET", "/api"});
    static final String SEND = "{\"event\":\"e\",\"data\":1}";

    static WsHub hub;
    static ApiClient api;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.maxHttpBodyBytes(BODY_LIMIT));
        api = ApiClient.of(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void everyCallWithoutTheKeyIs401() {
        List<ApiClient> strangers = List.of(ApiClient.with(hub, Map.of()),
                ApiClient.with(hub, Map.of("X-API-Key", "wrong")),
                ApiClient.with(hub, Map.of("X-API-Key", TestHub.API_KEY + "x")),
                ApiClient.with(hub, Map.of("Authorization", "Bearer " + TestHub.API_KEY)),
                ApiClient.with(hub, Map.of("Authorization", "apikey ")));
        for (ApiClient stranger : strangers) {
            for (String[] call : CALLS) {
                ApiClient.Answer answer = stranger.call(call[0], call[1], call[0].equals("POST") ? SEND : null);
                assertThat(answer.status()).as("%s %s", call[0], call[1]).isEqualTo(401);
                assertThat(answer.json().path("code").asInt()).isEqualTo(401);
                assertThat(answer.message()).contains("API key");
            }
        }
    }

    @Test
    void withNoKeysConfiguredEveryCallIs401() {
        try (WsHub locked = TestHub.start(cfg -> cfg.apiKeys(List.of()))) {
            for (String[] call : CALLS) {
                ApiClient.Answer answer = ApiClient.of(locked).call(call[0], call[1], call[0].equals("POST") ? SEND : null);
                assertThat(answer.status()).as("%s %s", call[0], call[1]).isEqualTo(401);
            }
        }
    }

    @Test
    void badSendBodiesAre400WithTheReason() {
        assertError(api.post("/api/send/all", "{\"event\":"), 400, "invalid JSON");
        assertError(api.post("/api/send/all", null), 400, "JSON");
        assertError(api.post("/api/send/all", "[1,2]"), 400, "JSON object");
        assertError(api.post("/api/send/all", "{\"data\":1}"), 400, "missing \"event\"");
        assertError(api.post("/api/send/user/u", "{\"event\":null}"), 400, "missing \"event\"");
        assertError(api.post("/api/send/tag/t", "{\"event\":\"  \"}"), 400, "non-empty string");
        assertError(api.post("/api/send/client/c", "{\"event\":42}"), 400, "non-empty string");
        assertError(api.post("/api/users/u/kick", "{\"reason\":[1]}"), 400, "\"reason\" must be a string");
        assertError(api.post("/api/clients/c/kick", "nope"), 400, "invalid JSON");
    }

    @Test
    void badPagingIs400() {
        assertError(api.get("/api/clients?perPage=0"), 400, "perPage must be between 1 and 1000");
        assertError(api.get("/api/clients?perPage=1001"), 400, "perPage must be between 1 and 1000");
        assertError(api.get("/api/clients?perPage=ten"), 400, "perPage must be a whole number");
        assertError(api.get("/api/clients?page=0"), 400, "page must be between");
        assertError(api.get("/api/clients?page=-3"), 400, "page must be between");
        assertError(api.get("/api/clients?page=1.5"), 400, "page must be a whole number");
        assertThat(api.get("/api/clients?perPage=1000&page=1").status()).isEqualTo(200);
    }

    @Test
    void unknownTargetsDeliverAndKickNothing() {
        assertThat(api.post("/api/send/client/no-such-client", SEND).data().path("delivered").asInt()).isZero();
        assertThat(api.post("/api/send/user/nobody", SEND).data().path("delivered").asInt()).isZero();
        assertThat(api.post("/api/send/tag/empty", SEND).data().path("delivered").asInt()).isZero();
        assertThat(api.post("/api/clients/no-such-client/kick", "{\"reason\":\"x\"}").data().path("kicked").asInt()).isZero();
        assertThat(api.post("/api/users/nobody/kick", null).data().path("kicked").asInt()).isZero();
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        assertError(api.get("/api/send/all"), 405, "use POST");
        assertError(api.call("DELETE", "/api/clients", null), 405, "use GET");
        assertError(api.post("/api/stats", SEND), 405, "use GET");
        assertError(api.get("/api/users/u/kick"), 405, "use POST");
        assertError(api.get("/api/nothing"), 404, "not found");
        assertError(api.post("/api/send/everyone/x/y", SEND), 404, "not found");
        assertError(api.get("/nothing-at-all"), 404, "not found");
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String padding = "x".repeat(BODY_LIMIT);
        assertError(api.post("/api/send/all", "{\"event\":\"e\",\"data\":\"" + padding + "\"}"), 413, "over " + BODY_LIMIT);
        String fits = "{\"event\":\"e\",\"data\":\"" + "x".repeat(BODY_LIMIT - 30) + "\"}";
        assertThat(api.post("/api/send/all", fits).status()).isEqualTo(200);
    }

    @Test
    void chunkedBodiesOverTheLimitAre413() {
        byte[] big = ("{\"event\":\"e\",\"data\":\"" + "y".repeat(2 * BODY_LIMIT) + "\"}").getBytes();
        ApiClient.Answer answer = api.send("POST", "/api/send/all",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        assertError(answer, 413, "over " + BODY_LIMIT);
    }

    @Test
    void malformedEscapesAre400AndTheServerStaysUp() {
        assertError(api.rawGet("/api/users/%zz/kick"), 400, "malformed URL");
        assertError(api.rawGet("/api/clients?userId=%E0%A4%A"), 400, "malformed URL");
        assertError(api.rawGet("/ws?token=%"), 400, "malformed URL");
        assertThat(api.get("/api/stats").status()).isEqualTo(200);
    }

    @Test
    void theApiCanBeTurnedOff() {
        try (WsHub embedded = TestHub.start(cfg -> cfg.httpApi(false))) {
            for (String[] call : CALLS) {
                ApiClient.Answer answer = ApiClient.of(embedded).call(call[0], call[1], call[0].equals("POST") ? SEND : null);
                assertThat(answer.status()).as("%s %s", call[0], call[1]).isEqualTo(404);
            }
            assertThat(ApiClient.of(embedded).get("/healthz").status()).isEqualTo(200);
            try (TestClient c = TestClient.connect(TestHub.ws(embedded, "still-works"))) {
                c.connectedId();
                assertThat(embedded.sendToUser("still-works", "java", null)).isEqualTo(1);
                c.next("java");
            }
        }
    }

    private static void assertError(ApiClient.Answer answer, int status, String messagePart) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.json().path("code").asInt()).isEqualTo(status);
        assertThat(answer.message()).contains(messagePart);
    }
}

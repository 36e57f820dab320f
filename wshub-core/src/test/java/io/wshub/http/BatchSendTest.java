package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.WsHub;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/send/batch} (docs/http-api.md): many sends in one request, in order, all checked first. */
class BatchSendTest {
    static WsHub hub;
    static ApiClient api;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> {});
        api = ApiClient.of(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aBatchReachesEachTargetInOrderAndCountsPerSend() {
        try (TestClient ann = TestClient.connect(TestHub.ws(hub, "batch-ann")); TestClient ben = connect("batch-ben")) {
            String annId = ann.connectedId();
            ben.request("join", Map.of("id", "batch-room"));
            JsonNode answer = api.post("/api/send/batch", """
                    {"sends":[
                      {"to":"user","id":"batch-ann","event":"one","data":{"n":1}},
                      {"to":"tag","id":"batch-room","event":"two","data":[1,"x",null]},
                      {"to":"client","id":"%s","event":"three"},
                      {"to":"all","event":"four","data":"everyone"},
                      {"to":"tag","id":"nobody-here","event":"five"}
                    ]}""".formatted(annId)).json();
            assertThat(answer.path("code").asInt()).isZero();
            assertThat(answer.path("data").path("delivered").toString()).isEqualTo("[1,1,1,2,0]");
            assertThat(answer.path("data").path("total").asInt()).isEqualTo(5);
            assertThat(ann.next().path("data").toString()).isEqualTo("{\"n\":1}");
            assertThat(ann.next().path("event").asText()).isEqualTo("three");
            assertThat(ann.next().path("data").asText()).isEqualTo("everyone");
            assertThat(ben.next().path("data").toString()).isEqualTo("[1,\"x\",null]");
            assertThat(ben.next().path("event").asText()).isEqualTo("four");
        }
    }

    @Test
    void aBadSendRejectsTheWholeBatchWith400NamingIt() {
        try (TestClient ann = connect("batch-bad")) {
            var answer = api.post("/api/send/batch", """
                    {"sends":[{"to":"user","id":"batch-bad","event":"fine"},{"to":"room","id":"x","event":"e"}]}""");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.message()).isEqualTo("sends[1]: \"to\" must be one of client, user, tag, all, not \"room\"");
            assertThat(api.post("/api/send/batch", "{\"sends\":[{\"to\":\"tag\",\"event\":\"e\"}]}").message())
                    .isEqualTo("sends[0]: missing \"id\" for \"to\":\"tag\"");
            assertThat(api.post("/api/send/batch", "{\"sends\":[{\"to\":\"all\"}]}").message())
                    .isEqualTo("sends[0]: missing \"event\": send {\"event\":\"name\",\"data\":...}");
            assertThat(api.post("/api/send/batch", "{\"sends\":{}}").message()).isEqualTo("\"sends\" must be an array");
            assertThat(api.post("/api/send/batch", "{}").message()).startsWith("missing \"sends\"");
            assertThat(api.post("/api/send/batch", "{\"sends\":[1]}").message()).isEqualTo("sends[0] must be an object");
            assertThat(api.post("/api/send/batch", "{\"sends\":[{\"to\":\"all\",\"event\":\"e\"}").message())
                    .startsWith("invalid JSON body");
            // Nothing of the rejected batches went out: the ping reply is the first thing the client sees.
            assertThat(ann.request("ping", null).path("event").asText()).isEqualTo("ping");
        }
    }

    @Test
    void aBatchHoldsAtMostAThousandSends() {
        List<Map<String, Object>> sends = new ArrayList<>();
        for (int i = 0; i < SendBodies.MAX_BATCH; i++) {
            sends.add(Map.of("to", "tag", "id", "batch-empty", "event", "e"));
        }
        assertThat(api.post("/api/send/batch", Map.of("sends", sends)).data().path("total").asInt()).isZero();
        sends.add(Map.of("to", "all", "event", "e"));
        var over = api.post("/api/send/batch", Map.of("sends", sends));
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.message()).isEqualTo("at most 1000 sends per batch");
    }

    private static TestClient connect(String user) {
        TestClient c = TestClient.connect(TestHub.ws(hub, user));
        c.connectedId();
        return c;
    }
}

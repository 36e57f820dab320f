package io.wshub.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.protocol.Protocol;
import io.wshub.testing.RawWs;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Strict message decoding (docs/protocol.md §1): each bad message gets a 400 reply and the connection stays usable. */
class HostileMessagesTest extends HostileSuite {

    static Stream<Arguments> badMessages() {
        String deep = "[".repeat(70) + "]".repeat(70);
        return Stream.of(
                Arguments.of("an array", "[]"),
                Arguments.of("a string", "\"ping\""),
                Arguments.of("a number", "42"),
                Arguments.of("null", "null"),
                Arguments.of("true", "true"),
                Arguments.of("two objects", "{\"event\":\"ping\"}{\"event\":\"ping\"}"),
                Arguments.of("an object and a word", "{\"event\":\"ping\"} x"),
                Arguments.of("an object and a bracket", "{\"event\":\"ping\"}]"),
                Arguments.of("an object and a number", "{\"event\":\"ping\"} 1"),
                Arguments.of("no event", "{\"data\":1}"),
                Arguments.of("empty event", "{\"event\":\"\"}"),
                Arguments.of("numeric event", "{\"event\":1}"),
                Arguments.of("null event", "{\"event\":null}"),
                Arguments.of("object event", "{\"event\":{}}"),
                Arguments.of("array event", "{\"event\":[\"ping\"]}"),
                Arguments.of("boolean event", "{\"event\":true}"),
                Arguments.of("boolean seqno", "{\"event\":\"ping\",\"seqno\":true}"),
                Arguments.of("object seqno", "{\"event\":\"ping\",\"seqno\":{}}"),
                Arguments.of("array seqno", "{\"event\":\"ping\",\"seqno\":[1]}"),
                Arguments.of("nesting of 70", "{\"event\":\"ping\",\"data\":" + deep + "}"),
                Arguments.of("a 200-digit number", "{\"event\":\"ping\",\"data\":" + "9".repeat(200) + "}"),
                Arguments.of("a 2000-character name", "{\"event\":\"ping\",\"data\":{\"" + "n".repeat(2000) + "\":1}}"),
                Arguments.of("duplicate event", "{\"event\":\"ping\",\"event\":\"join\"}"),
                Arguments.of("duplicate data member", "{\"event\":\"ping\",\"data\":{\"a\":1,\"a\":2}}"),
                Arguments.of("duplicate seqno", "{\"event\":\"ping\",\"seqno\":\"1\",\"seqno\":\"2\"}"),
                Arguments.of("duplicate data", "{\"event\":\"ping\",\"data\":1,\"data\":2}"),
                Arguments.of("the same event twice", "{\"event\":\"ping\",\"event\":\"ping\"}"),
                Arguments.of("event again after data", "{\"event\":\"ping\",\"data\":1,\"event\":\"ping\"}"),
                Arguments.of("duplicate ignored member", "{\"event\":\"ping\",\"x\":1,\"x\":2}"),
                Arguments.of("duplicate ignored member around data", "{\"x\":1,\"event\":\"ping\",\"data\":{},\"x\":2}"),
                Arguments.of("duplicate member inside an ignored one", "{\"event\":\"ping\",\"x\":{\"a\":1,\"a\":2}}"),
                Arguments.of("duplicate member deep in data", "{\"event\":\"ping\",\"data\":[{\"b\":{\"a\":1,\"a\":2}}]}"),
                Arguments.of("duplicate member in a second data object", "{\"event\":\"ping\",\"data\":[{\"a\":1},{\"a\":1,\"b\":2,\"a\":3}]}"),
                Arguments.of("a lone high surrogate in event", "{\"event\":\"\\ud800\"}"),
                Arguments.of("a lone low surrogate in data", "{\"event\":\"ping\",\"data\":\"\\udc00\"}"),
                Arguments.of("a reversed pair in data", "{\"event\":\"ping\",\"data\":\"\\udc00\\ud800\"}"),
                Arguments.of("a lone surrogate in a data key", "{\"event\":\"ping\",\"data\":{\"\\ud800\":1}}"),
                Arguments.of("a lone surrogate deep in data", "{\"event\":\"ping\",\"data\":[[{\"a\":[\"x\\uDBFF\"]}]]}"),
                Arguments.of("a lone surrogate in seqno", "{\"event\":\"ping\",\"seqno\":\"\\ud800\"}"),
                Arguments.of("a lone surrogate in an ignored member", "{\"event\":\"ping\",\"x\":\"\\ud800\"}"),
                Arguments.of("unterminated object", "{\"event\":\"ping\""),
                Arguments.of("bare word value", "{\"event\":ping}"),
                Arguments.of("unquoted name", "{event:\"ping\"}"),
                Arguments.of("single quotes", "{'event':'ping'}"),
                Arguments.of("trailing comma", "{\"event\":\"ping\",}"),
                Arguments.of("NaN", "{\"event\":\"ping\",\"data\":NaN}"),
                Arguments.of("a comment", "{\"event\":\"ping\"/* hi */}"),
                Arguments.of("a control character in a string", "{\"event\":\"pi\u0001ng\"}"));
    }

    @ParameterizedTest(name = "{0} gets 400 and the connection stays usable")
    @MethodSource("badMessages")
    void aBadMessageGets400AndTheConnectionStaysUsable(String name, String message) {
        try (RawWs ws = connected()) {
            ws.sendText(message);
            JsonNode reply = json(ws.nextText());
            assertThat(reply.path("code").asInt()).as("%s", reply).isEqualTo(Protocol.BAD_REQUEST);
            assertThat(reply.path("errorMsg").asText()).isNotEmpty().hasSizeLessThan(80);
            ws.sendText("{\"event\":\"ping\",\"seqno\":\"after\"}");
            JsonNode pong = json(ws.nextText());
            assertThat(pong.path("code").asInt()).isZero();
            assertThat(pong.path("seqno").asText()).isEqualTo("after");
        }
    }

    @ParameterizedTest(name = "seqno {0} is echoed as given")
    @ValueSource(strings = {"42", "-7", "0", "1.5e3", "12345678901234567890123", "\"abc\"", "\"\"", "\"\\u00e9\""})
    void aSeqnoIsEchoedAsGiven(String seqno) {
        try (RawWs ws = connected()) {
            ws.sendText("{\"event\":\"ping\",\"seqno\":" + seqno + "}");
            String reply = ws.nextText();
            if (seqno.equals("\"\"")) {
                assertThat(reply).doesNotContain("seqno");
            } else if (seqno.startsWith("\"")) {
                assertThat(json(reply).path("seqno").asText()).isEqualTo(json(seqno).asText());
            } else {
                assertThat(reply).contains("\"seqno\":" + seqno + "}");
            }
        }
    }

    @Test
    void aNumericSeqnoIsEchoedOnAnErrorToo() {
        try (RawWs ws = connected()) {
            ws.sendText("{\"event\":\"no/such\",\"seqno\":9}");
            assertThat(ws.nextText()).contains("\"code\":404").contains("\"seqno\":9}");
        }
    }

    @Test
    void aValidSurrogatePairIsFine() {
        try (RawWs ws = connected()) {
            ws.sendText("{\"event\":\"ping\",\"seqno\":\"\\ud83d\\ude00\",\"data\":{\"\\ud83d\\ude00\":\"😀\"}}");
            JsonNode reply = json(ws.nextText());
            assertThat(reply.path("code").asInt()).isZero();
            assertThat(reply.path("seqno").asText()).isEqualTo("😀");
        }
    }

    @Test
    void nestingOf60IsFine() {
        try (RawWs ws = connected()) {
            ws.sendText("{\"event\":\"ping\",\"data\":" + "[".repeat(60) + "]".repeat(60) + "}");
            assertThat(json(ws.nextText()).path("code").asInt()).isZero();
        }
    }

    @Test
    void aBroadcastOrReplyHoldingALoneSurrogateStillGoesOut() {
        hub.on("echo/bad", ctx -> ctx.reply(Map.of("text", "x\ud800y")));
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            hub.sendToAll("news", "a\ud800b");
            assertThat(c.next("news").path("data").asText()).isEqualTo("a\uFFFDb");
            hub.sendToAll("news", Map.of("k\udc00", "v"));
            assertThat(c.next("news").path("code").asInt()).isZero();
            JsonNode reply = c.request("echo/bad", null);
            assertThat(reply.path("code").asInt()).isZero();
        }
    }

    @Test
    void aTagOverTheLengthLimitGets400() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode reply = c.request("join", Map.of("id", "t".repeat(Protocol.MAX_TAG_BYTES + 1)));
            assertThat(reply.path("code").asInt()).isEqualTo(Protocol.BAD_REQUEST);
            assertThat(c.request("join", Map.of("id", "t".repeat(Protocol.MAX_TAG_BYTES))).path("code").asInt()).isZero();
        }
    }

    @Test
    void joiningPastTheTagLimitGets413AndTheReplyStaysBounded() {
        int limit = 128; // the default
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            for (int i = 0; i < limit; i++) {
                c.send("join", Map.of("id", "tag-" + i), null);
            }
            for (int i = 0; i < limit; i++) {
                assertThat(c.next("join").path("code").asInt()).isZero();
            }
            JsonNode over = c.request("join", Map.of("id", "one-too-many"));
            assertThat(over.path("code").asInt()).isEqualTo(413);
            assertThat(over.path("errorMsg").asText()).isEqualTo("tag limit of " + limit + " reached");
            JsonNode again = c.request("join", Map.of("id", "tag-0"));
            assertThat(again.path("code").asInt()).as("joining a tag it is in is not past the limit").isZero();
            assertThat(again.path("data").size()).isEqualTo(limit);
            assertThat(c.request("quit", Map.of("id", "tag-0")).path("data").size()).isEqualTo(limit - 1);
            assertThat(c.request("join", Map.of("id", "one-too-many")).path("code").asInt()).isZero();
        }
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("a lone surrogate", "{\"event\":\"x\",\"data\":\"\\ud800\"}".getBytes()),
                Arguments.of("a lone surrogate in event", "{\"event\":\"\\udfff\"}".getBytes()),
                Arguments.of("trailing data", "{\"event\":\"x\"} {}".getBytes()),
                Arguments.of("an encoded surrogate", RawWs.concat("{\"event\":\"x\",\"data\":\"".getBytes(), hex("eda080"), "\"}".getBytes())),
                Arguments.of("an overlong form", RawWs.concat("{\"event\":\"x\",\"data\":\"".getBytes(), hex("c0af"), "\"}".getBytes())),
                Arguments.of("nesting of 70", ("{\"event\":\"x\",\"data\":" + "[".repeat(70) + "]".repeat(70) + "}").getBytes()),
                Arguments.of("duplicate members", "{\"event\":\"x\",\"event\":\"y\"}".getBytes()));
    }

    @ParameterizedTest(name = "HTTP API body with {0} gets 400")
    @MethodSource("badBodies")
    void theHttpApiRefusesTheSameInput(String name, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(TestHub.http(hub, "/api/send/all"))
                .header("X-API-Key", TestHub.API_KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json(res.body()).path("code").asInt()).isEqualTo(400);
    }

    private RawWs connected() {
        RawWs ws = RawWs.open(hub.port(), "/ws");
        assertThat(ws.nextText()).contains("\"event\":\"connected\"");
        return ws;
    }

    private static JsonNode json(String text) {
        try {
            return TestClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}

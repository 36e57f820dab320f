package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The json codec as HotGo's clients use it (docs/protocol.md §1). */
class ProtocolTest {
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.configure(cfg -> {});
        hub.on("echo", ctx -> ctx.reply(ctx.rawData()));
        hub.on("boom", ctx -> { throw new IllegalStateException("handler bug"); });
        hub.on("nope", ctx -> { throw new WsException(Protocol403.CODE, "not for you"); });
        hub.on("generic", ctx -> ctx.error(-1, "failed"));
        hub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Kept in the test so a change to the constant shows up here too. */
    static final class Protocol403 { static final int CODE = 403; }

    @Test
    void connectedEventComesFirstWithIdAndNullUser() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            JsonNode msg = c.next("connected");
            assertThat(msg.path("data").path("id").asText()).startsWith(hub.nodeId() + ".");
            assertThat(msg.path("data").has("userId")).isTrue();
            assertThat(msg.path("data").path("userId").isNull()).isTrue();
            assertThat(msg.path("code").asInt()).isZero();
        }
    }

    @Test
    void pingIsAnsweredWithTimestampInSeconds() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            long before = System.currentTimeMillis() / 1000;
            c.send("{\"event\":\"ping\"}");
            JsonNode reply = c.next("ping");
            assertThat(reply.path("code").asInt()).isZero();
            assertThat(reply.path("timestamp").asLong()).isBetween(before, before + 2);
            assertThat(reply.has("data")).isFalse();
            assertThat(reply.has("seqno")).isFalse();
            assertThat(reply.has("errorMsg")).isFalse();
        }
    }

    @Test
    void echoKeepsDataAndSeqno() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            c.send("{\"event\":\"echo\",\"data\":{\"text\":\"hi \\u00e9\",\"n\":[1,2.5,null]},\"seqno\":\"42\"}");
            JsonNode reply = c.next("echo");
            assertThat(reply.path("seqno").asText()).isEqualTo("42");
            assertThat(reply.path("data").path("text").asText()).isEqualTo("hi é");
            assertThat(reply.path("data").path("n").toString()).isEqualTo("[1,2.5,null]");
            c.send("{\"seqno\":7,\"data\":\"plain string\",\"event\":\"echo\"}");
            JsonNode second = c.next("echo");
            assertThat(second.path("data").asText()).isEqualTo("plain string");
            assertThat(second.path("seqno").asText()).isEqualTo("7");
        }
    }

    @Test
    void nullDataIsAccepted() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode reply = c.request("echo", null);
            assertThat(reply.path("code").asInt()).isZero();
            assertThat(reply.has("data")).isFalse();
        }
    }

    @Test
    void joinAndQuitAnswerWithTheTagArray() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            assertThat(c.request("join", Map.of("id", "room-b")).path("data").toString()).isEqualTo("[\"room-b\"]");
            assertThat(c.request("join", Map.of("id", "room-a")).path("data").toString()).isEqualTo("[\"room-a\",\"room-b\"]");
            assertThat(c.request("quit", Map.of("id", "room-b")).path("data").toString()).isEqualTo("[\"room-a\"]");
            JsonNode bad = c.request("join", Map.of("name", "x"));
            assertThat(bad.path("code").asInt()).isEqualTo(400);
            assertThat(bad.path("errorMsg").asText()).contains("id");
        }
    }

    @Test
    void malformedFramesGetTheSpecErrorsAndTheConnectionStaysUsable() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            c.send("{not json");
            JsonNode e1 = c.next("error");
            assertThat(e1.path("code").asInt()).isEqualTo(400);
            c.send("[1,2,3]");
            assertThat(c.next("error").path("errorMsg").asText()).contains("object");
            c.send("{\"data\":1,\"seqno\":\"9\"}");
            JsonNode missing = c.next("error");
            assertThat(missing.path("errorMsg").asText()).contains("event");
            assertThat(missing.path("seqno").asText()).isEqualTo("9");
            c.send("{\"event\":17}");
            assertThat(c.next("error").path("code").asInt()).isEqualTo(400);
            c.send("{\"event\":\"nothing-here\",\"seqno\":\"3\"}");
            JsonNode unknown = c.next("nothing-here");
            assertThat(unknown.path("code").asInt()).isEqualTo(404);
            assertThat(unknown.path("errorMsg").asText()).isEqualTo("unknown event");
            assertThat(c.request("ping", null).path("code").asInt()).isZero();
        }
    }

    @Test
    void emptyFrameIsAHeartbeatWithNoReply() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            c.send("");
            c.assertNoMessage(300);
            assertThat(c.request("ping", null).path("code").asInt()).isZero();
        }
    }

    @Test
    void handlerErrorsBecomeCodesAndTheConnectionLives() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode boom = c.request("boom", null);
            assertThat(boom.path("code").asInt()).isEqualTo(500);
            assertThat(boom.path("errorMsg").asText()).isEqualTo("internal error");
            JsonNode nope = c.request("nope", null);
            assertThat(nope.path("code").asInt()).isEqualTo(403);
            assertThat(nope.path("errorMsg").asText()).isEqualTo("not for you");
            assertThat(c.request("generic", null).path("code").asInt()).isEqualTo(-1);
            assertThat(c.request("ping", null).path("code").asInt()).isZero();
        }
    }
}

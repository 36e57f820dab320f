package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The go-eyas wsrv wire format (SPEC §1), chosen by config. */
class WsrvCodecTest {
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.configure(cfg -> cfg.codec("wsrv"));
        hub.on("echo", ctx -> ctx.reply(ctx.data()));
        hub.on("fail", ctx -> ctx.error(-1, "it failed"));
        hub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void requestsUseCmdAndRepliesCarryStatusAndMsg() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "w"))) {
            JsonNode connected = c.next();
            assertThat(connected.path("cmd").asText()).isEqualTo("connected");
            assertThat(connected.path("seqno").asText()).hasSize(8);
            c.send("{\"cmd\":\"echo\",\"seqno\":\"s1\",\"data\":{\"a\":1}}");
            JsonNode reply = c.next();
            assertThat(reply.path("cmd").asText()).isEqualTo("echo");
            assertThat(reply.path("seqno").asText()).isEqualTo("s1");
            assertThat(reply.path("status").asInt()).isZero();
            assertThat(reply.path("msg").asText()).isEqualTo("ok");
            assertThat(reply.path("data").path("a").asInt()).isEqualTo(1);
            assertThat(reply.has("event")).isFalse();

            c.send("{\"cmd\":\"fail\",\"seqno\":\"s2\"}");
            JsonNode failed = c.next();
            assertThat(failed.path("status").asInt()).isEqualTo(-1);
            assertThat(failed.path("msg").asText()).isEqualTo("it failed");

            c.send("{\"event\":\"echo\",\"seqno\":\"s3\"}"); // json-codec field: no cmd here
            JsonNode missing = c.next();
            assertThat(missing.path("status").asInt()).isEqualTo(400);
            assertThat(missing.path("msg").asText()).contains("cmd");
        }
    }

    @Test
    void pushesGetARandomEightCharacterSeqno() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "p"))) {
            c.next();
            hub.sendToUser("p", "notice", Map.of("x", 1));
            hub.sendToUser("p", "notice", Map.of("x", 2));
            JsonNode first = c.next();
            JsonNode second = c.next();
            assertThat(first.path("cmd").asText()).isEqualTo("notice");
            assertThat(first.path("seqno").asText()).matches("[a-z0-9]{8}");
            assertThat(second.path("seqno").asText()).isNotEqualTo(first.path("seqno").asText());
        }
    }
}

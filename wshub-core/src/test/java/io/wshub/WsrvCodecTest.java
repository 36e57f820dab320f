package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.testing.FrameClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The go-eyas wsrv wire format (docs/protocol.md §1), checked the way a client written from
 * wsrv's code sees it: every reply has cmd, seqno, status, msg and data in that order, every
 * request is answered exactly once, replies come in the request's frame type, pushes in binary.
 */
class WsrvCodecTest {
    static WsHub hub;
    static final BlockingQueue<Context> parked = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        hub = TestHub.configure(cfg -> cfg.codec("wsrv"));
        hub.use((ctx, next) -> {
            if (!ctx.data().path("stop").asBoolean()) {
                next.run();
            }
        });
        hub.on("echo", ctx -> ctx.reply(ctx.data()));
        hub.on("nothing", ctx -> ctx.reply(null));
        hub.on("fail", ctx -> ctx.error(-1, "it failed"));
        hub.on("throws", ctx -> {
            throw new WsException(42, "no such order");
        });
        hub.on("silent", ctx -> { });
        hub.on("park", parked::add);
        hub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static FrameClient connect(String user) {
        FrameClient c = FrameClient.connect(TestHub.ws(hub, user));
        JsonNode connected = c.next(FrameType.BINARY); // wsrv pushes binary frames
        assertThat(connected.path("cmd").asText()).isEqualTo("connected");
        return c;
    }

    /** A wsrv reply, compared field by field: names in wsrv's order, then values. */
    private static void assertReply(JsonNode reply, String cmd, String seqno, int status, String msg, String dataJson) {
        assertThat(List.copyOf(toList(reply.fieldNames()))).containsExactly("cmd", "seqno", "status", "msg", "data");
        assertThat(reply.path("cmd").asText()).isEqualTo(cmd);
        assertThat(reply.path("seqno").asText()).isEqualTo(seqno);
        assertThat(reply.path("status").isInt()).isTrue();
        assertThat(reply.path("status").intValue()).isEqualTo(status);
        assertThat(reply.path("msg").asText()).isEqualTo(msg);
        assertThat(reply.path("data").toString()).isEqualTo(dataJson);
    }

    private static List<String> toList(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void repliesHaveAllFiveFieldsAndDataIsAnEmptyObjectWhenThereIsNothing() {
        try (FrameClient c = connect("w1")) {
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"s1\",\"data\":{\"a\":1}}");
            assertReply(c.next(FrameType.TEXT), "echo", "s1", 0, "ok", "{\"a\":1}");
            c.sendText("{\"cmd\":\"nothing\",\"seqno\":\"s2\"}");
            assertReply(c.next(FrameType.TEXT), "nothing", "s2", 0, "ok", "{}");
            c.sendText("{\"cmd\":\"fail\",\"seqno\":\"s3\"}");
            assertReply(c.next(FrameType.TEXT), "fail", "s3", -1, "it failed", "{}");
            c.sendText("{\"cmd\":\"throws\",\"seqno\":\"s4\"}");
            assertReply(c.next(FrameType.TEXT), "throws", "s4", 42, "no such order", "{}");
            c.sendText("{\"cmd\":\"ping\",\"seqno\":\"s5\"}");
            assertReply(c.next(FrameType.TEXT), "ping", "s5", 0, "ok", "{}");
            c.assertExhausted();
        }
    }

    @Test
    void unhandledRequestsGetWsrvsDefaultReplies() {
        try (FrameClient c = connect("w2")) {
            c.sendText("{\"cmd\":\"nope\",\"seqno\":\"u1\",\"data\":{}}");
            assertReply(c.next(FrameType.TEXT), "nope", "u1", -1, "not implement", "{}");
            c.sendText("{\"cmd\":\"nope\",\"seqno\":\"u2\",\"data\":{\"stop\":true}}"); // middleware stops an unknown cmd
            assertReply(c.next(FrameType.TEXT), "nope", "u2", -1, "not implement", "{}");
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"u3\",\"data\":{\"stop\":true}}"); // middleware stops a known cmd
            assertReply(c.next(FrameType.TEXT), "echo", "u3", 1, "empty implement", "{}");
            c.sendText("{\"cmd\":\"silent\",\"seqno\":\"u4\"}"); // handler returns without answering
            assertReply(c.next(FrameType.TEXT), "silent", "u4", 1, "empty implement", "{}");
            c.assertExhausted();
        }
    }

    @Test
    void aLateReplyAfterTheDefaultOneIsDroppedSoEachRequestIsAnsweredOnce() throws Exception {
        try (FrameClient c = connect("w3")) {
            c.sendText("{\"cmd\":\"park\",\"seqno\":\"p1\"}");
            assertReply(c.next(FrameType.TEXT), "park", "p1", 1, "empty implement", "{}");
            Context ctx = parked.poll(10, TimeUnit.SECONDS);
            assertThat(ctx).isNotNull();
            ctx.reply(Map.of("late", true));
            c.sendText("{\"cmd\":\"ping\",\"seqno\":\"barrier\"}");
            assertReply(c.next(FrameType.TEXT), "ping", "barrier", 0, "ok", "{}");
            c.assertExhausted();
        }
    }

    @Test
    void binaryRequestsAreAnsweredInBinaryFrames() {
        try (FrameClient c = connect("w4")) {
            c.sendBinary("{\"cmd\":\"echo\",\"seqno\":\"b1\",\"data\":[1,2]}");
            assertReply(c.next(FrameType.BINARY), "echo", "b1", 0, "ok", "[1,2]");
            c.sendBinary("{\"cmd\":\"nope\",\"seqno\":\"b2\"}");
            assertReply(c.next(FrameType.BINARY), "nope", "b2", -1, "not implement", "{}");
            c.sendBinary(new byte[0]); // a heartbeat, in either frame type
            c.sendText("{\"cmd\":\"echo\",\"seqno\":\"t1\",\"data\":\"x\"}");
            assertReply(c.next(FrameType.TEXT), "echo", "t1", 0, "ok", "\"x\"");
            c.assertExhausted();
        }
    }

    @Test
    void pushesAreBinaryWithARandomEightCharacterSeqno() {
        try (FrameClient c = connect("p")) {
            hub.sendToUser("p", "notice", Map.of("x", 1));
            hub.sendToUser("p", "notice", Map.of("x", 2));
            JsonNode first = c.next(FrameType.BINARY);
            JsonNode second = c.next(FrameType.BINARY);
            assertReply(first, "notice", first.path("seqno").asText(), 0, "ok", "{\"x\":1}");
            assertThat(first.path("seqno").asText()).matches("[a-z0-9]{8}");
            assertThat(second.path("seqno").asText()).isNotEqualTo(first.path("seqno").asText());
        }
    }

    @Test
    void unparseableFramesStillGetA400InTheirFrameType() {
        try (FrameClient c = connect("w5")) {
            c.sendBinary("{\"event\":\"echo\",\"seqno\":\"s3\"}"); // json-codec field: no cmd here
            JsonNode missing = c.next(FrameType.BINARY);
            assertThat(missing.path("status").asInt()).isEqualTo(400);
            assertThat(missing.path("msg").asText()).contains("cmd");
        }
    }

    @Test
    void pushFrameTypeIsASetting() {
        try (WsHub textPushes = TestHub.start(cfg -> cfg.codec("wsrv").pushFrames(FrameType.TEXT));
             FrameClient c = FrameClient.connect(TestHub.ws(textPushes, "t"))) {
            assertThat(c.next(FrameType.TEXT).path("cmd").asText()).isEqualTo("connected");
        }
    }

    @Test
    void idleTimeoutFollowsWsrvUnlessSet() {
        assertThat(new WsConfig().codec("wsrv").idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new WsConfig().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(new WsConfig().codec("wsrv").idleTimeout(Duration.ofSeconds(90)).idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(new WsConfig().codec("json").pushFrames()).isEqualTo(FrameType.TEXT);
        assertThat(new WsConfig().codec("wsrv").pushFrames()).isEqualTo(FrameType.BINARY);
    }
}

package io.wshub.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The codecs alone: what goes in, what comes out, byte for byte where it matters. */
class CodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String encode(Codec codec, Outbound m) {
        ByteBuf buf = codec.encode(PooledByteBufAllocator.DEFAULT, m);
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static Inbound decode(Codec codec, String text) throws DecodeException {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            return codec.decode(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void numbersAreWrittenAsTheirDecimalText() {
        long[] values = {0, 1, 9, 10, 99, 100, 404, 1_763_760_000L, 999_999_999_999L, Long.MAX_VALUE, -1, -404, Long.MIN_VALUE};
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(1); // grows as digits are written
        try {
            for (long v : values) {
                buf.clear().writeByte('[');
                JsonOut.number(buf, v);
                buf.writeByte(']');
                assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo("[" + v + "]");
            }
        } finally {
            buf.release();
        }
    }

    @Test
    void jsonRepliesHaveHotgoFieldsInOrderAndOmitEmptyOnes() {
        String ok = encode(JsonCodec.INSTANCE, new Outbound("chat/send", 0, null, Map.of("a", 1), "42"));
        assertThat(ok).matches("\\{\"event\":\"chat/send\",\"code\":0,\"data\":\\{\"a\":1},\"timestamp\":\\d{10},\"seqno\":\"42\"}");
        String err = encode(JsonCodec.INSTANCE, Outbound.error("x", null, 404, "unknown event"));
        assertThat(err).matches("\\{\"event\":\"x\",\"code\":404,\"errorMsg\":\"unknown event\",\"timestamp\":\\d{10}}");
        String push = encode(JsonCodec.INSTANCE, Outbound.push("p", RawJson.NULL));
        assertThat(push).doesNotContain("data").doesNotContain("seqno");
    }

    @Test
    void stringsAreEscapedAndEveryKindOfDataIsValidJson() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("quote", "say \"hi\"\\ \n\t\u0001 é 漢字 😀");
        map.put("list", List.of(1, 2.5, true));
        map.put("raw", RawJson.of("{\"nested\":[null]}"));
        Object[] data = {map, "plain \"string\"", 42, List.of("a"), JSON.readTree("{\"t\":1}"), RawJson.of("[1, 2]")};
        for (Object d : data) {
            String text = encode(JsonCodec.INSTANCE, new Outbound("ev \"q\" ü", 0, null, d, "s\"1"));
            JsonNode tree = JSON.readTree(text);
            assertThat(tree.path("event").asText()).isEqualTo("ev \"q\" ü");
            assertThat(tree.path("seqno").asText()).isEqualTo("s\"1");
            assertThat(tree.path("data")).isEqualTo(JSON.readTree(JSON.writeValueAsString(d)));
        }
        JsonNode tree = JSON.readTree(encode(JsonCodec.INSTANCE, Outbound.push("m", map)));
        assertThat(tree.path("data").path("quote").asText()).isEqualTo(map.get("quote"));
        assertThat(tree.path("data").path("raw").path("nested").get(0).isNull()).isTrue();
    }

    @Test
    void decodeSlicesDataWithoutChangingIt() throws Exception {
        Inbound in = decode(JsonCodec.INSTANCE, "{\"seqno\":\"7\",\"data\":{ \"x\" : [1, \"é\"] },\"event\":\"e\",\"extra\":{\"ignored\":true}}");
        assertThat(in.event()).isEqualTo("e");
        assertThat(in.seqno()).isEqualTo("7");
        assertThat(in.data().toString()).isEqualTo("{ \"x\" : [1, \"é\"] }");
        assertThat(decode(JsonCodec.INSTANCE, "{\"event\":\"e\",\"data\":\"str\\\"ing\"}").data().toString()).isEqualTo("\"str\\\"ing\"");
        assertThat(decode(JsonCodec.INSTANCE, "{\"event\":\"e\",\"data\":12.5e3}").data().toString()).isEqualTo("12.5e3");
        assertThat(decode(JsonCodec.INSTANCE, "{\"event\":\"e\"}").data().isNull()).isTrue();
        assertThat(decode(JsonCodec.INSTANCE, "{\"event\":\"e\",\"seqno\":9}").seqno()).isEqualTo("9");
    }

    @Test
    void decodeRefusesWhatIsNotARequest() {
        for (String bad : new String[] {"", "nope", "[]", "\"e\"", "{\"event\":1}", "{\"event\":\"\"}", "{\"data\":1}", "{\"event\":\"e\"", "{\"event\":\"e\",}"}) {
            assertThatThrownBy(() -> decode(JsonCodec.INSTANCE, bad)).as(bad).isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void wsrvUsesCmdStatusMsg() throws Exception {
        JsonNode ok = JSON.readTree(encode(WsrvCodec.INSTANCE, new Outbound("c", 0, null, List.of(1), "s")));
        assertThat(ok.fieldNames()).toIterable().containsExactly("cmd", "seqno", "status", "msg", "data");
        assertThat(ok.path("msg").asText()).isEqualTo("ok");
        JsonNode err = JSON.readTree(encode(WsrvCodec.INSTANCE, new Outbound("c", 500, null, null, null)));
        assertThat(err.path("status").asInt()).isEqualTo(500);
        assertThat(err.path("msg").asText()).isEmpty();
        assertThat(err.path("seqno").asText()).matches("[a-z0-9]{8}");
        assertThat(decode(WsrvCodec.INSTANCE, "{\"cmd\":\"c\",\"seqno\":\"1\",\"data\":{}}").event()).isEqualTo("c");
    }
}

package io.wshub.redis;

import io.wshub.Target;
import io.wshub.cluster.Envelope;
import io.wshub.protocol.RawJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTest {

    @Test
    void aSendIsAHeaderLineAndTheDataBytesUntouched() {
        RawJson data = RawJson.of("{\"text\":\"line1\\nline2 \u00e9\",\n \"n\": [1, 2]}");
        Envelope send = new Envelope(Envelope.Op.SEND, Target.user("4\"2"), "chat/send", data, "a");
        byte[] wire = EnvelopeCodec.encode(send);
        assertThat(new String(wire, StandardCharsets.UTF_8)).startsWith(
                "{\"v\":1,\"op\":\"send\",\"kind\":\"user\",\"id\":\"4\\\"2\",\"event\":\"chat/send\",\"from\":\"a\"}\n{\"text\"");
        assertThat(EnvelopeCodec.decode(wire)).isEqualTo(send);
    }

    @Test
    void kicksAndBroadcastsRoundTrip() {
        Envelope kick = new Envelope(Envelope.Op.KICK, Target.client("a.k3x9"), null, RawJson.of("\"spam\""), "b");
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(kick))).isEqualTo(kick);
        Envelope all = new Envelope(Envelope.Op.SEND, Target.ALL, "news", RawJson.NULL, "c");
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(all))).isEqualTo(all);
    }

    @Test
    void rawFramesTravelAsAJsonStringWithTheirFrameType() {
        Envelope raw = new Envelope(Envelope.Op.RAW, Target.tag("room"), "binary", RawJson.of("\"AAEC/w==\""), "a");
        byte[] wire = EnvelopeCodec.encode(raw);
        assertThat(new String(wire, StandardCharsets.UTF_8)).startsWith("{\"v\":1,\"op\":\"raw\",\"kind\":\"tag\"");
        assertThat(EnvelopeCodec.decode(wire)).isEqualTo(raw);
    }

    @Test
    void foreignMessagesAreRejected() {
        for (String bad : new String[] {"hello", "{\"v\":2,\"op\":\"send\",\"kind\":\"all\",\"from\":\"a\"}\nnull",
                "{\"v\":1,\"op\":\"send\",\"kind\":\"user\",\"from\":\"a\"}\nnull", "[1]\nnull"}) {
            assertThatThrownBy(() -> EnvelopeCodec.decode(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

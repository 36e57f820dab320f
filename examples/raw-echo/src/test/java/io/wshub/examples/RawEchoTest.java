package io.wshub.examples;

import io.wshub.FrameType;
import io.wshub.WsHub;
import io.wshub.testing.FrameClient;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The example does what its Javadoc says: frames come back unchanged, in their own type. */
class RawEchoTest {

    @Test
    void echoesTextAndBinaryFramesUnchanged() {
        try (WsHub hub = RawEcho.start(0);
             FrameClient c = FrameClient.connect(URI.create("ws://127.0.0.1:" + hub.port() + "/ws"))) {
            c.sendText("{\"type\":1,\"content\":\"hi from gorilla\"}");
            FrameClient.Frame text = c.next();
            assertThat(text.type()).isEqualTo(FrameType.TEXT);
            assertThat(text.text()).isEqualTo("{\"type\":1,\"content\":\"hi from gorilla\"}");
            byte[] bytes = new byte[70_000]; // over 64 KiB: a 64-bit length header each way
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) i;
            }
            c.sendBinary(bytes);
            FrameClient.Frame binary = c.next();
            assertThat(binary.type()).isEqualTo(FrameType.BINARY);
            assertThat(binary.payload()).isEqualTo(bytes);
            c.assertExhausted();
        }
    }
}

package io.wshub.internal;

import io.wshub.WsHub;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** permessage-deflate on the wire (docs/protocol.md §1.9): negotiation, threshold, one compression per broadcast, compressed input, limits. */
class CompressionTest {
    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final String BIG = "x".repeat(4000);

    private static WsHub hub(int maxMessageBytes) {
        return TestHub.start(cfg -> cfg.compression(true).compressionThreshold(512).maxMessageBytes(maxMessageBytes));
    }

    @Test
    void negotiatesServerNoContextTakeoverAndCompressesOnlyLargeMessages() throws Exception {
        try (WsHub hub = hub(65536); DeflateSocket c = new DeflateSocket(hub.port(), OFFER + "; client_no_context_takeover")) {
            assertThat(c.extensionsHeader).startsWith("permessage-deflate").contains("server_no_context_takeover")
                    .contains("client_no_context_takeover");
            DeflateSocket.Frame connected = c.next();
            assertThat(connected.compressed()).as("a small message stays plain").isFalse();
            assertThat(connected.text()).contains("\"connected\"");

            hub.sendToAll("big", Map.of("text", BIG));
            DeflateSocket.Frame big = c.next();
            assertThat(big.compressed()).isTrue();
            assertThat(big.text()).contains("\"event\":\"big\"").contains(BIG);
            assertThat(big.wireBytes()).as("bytes on the wire").isLessThan(200);
        }
    }

    @Test
    void aBroadcastIsCompressedOnceForAllDeflateConnectionsAndPlainForOthers() throws Exception {
        try (WsHub hub = hub(65536);
             DeflateSocket a = new DeflateSocket(hub.port(), OFFER);
             DeflateSocket b = new DeflateSocket(hub.port(), OFFER);
             DeflateSocket c = new DeflateSocket(hub.port(), OFFER);
             DeflateSocket plain = new DeflateSocket(hub.port(), null)) {
            for (DeflateSocket s : List.of(a, b, c, plain)) {
                s.next(); // connected
            }
            assertThat(plain.extensionsHeader).isNull();
            Compression compression = ((RealHub) hub).compression;
            long before = compression.deflatedCount();
            assertThat(hub.sendToAll("big", BIG)).isEqualTo(4);
            for (DeflateSocket s : List.of(a, b, c)) {
                DeflateSocket.Frame f = s.next();
                assertThat(f.compressed()).isTrue();
                assertThat(f.text()).contains(BIG);
            }
            DeflateSocket.Frame p = plain.next();
            assertThat(p.compressed()).isFalse();
            assertThat(p.text()).contains(BIG);
            assertThat(compression.deflatedCount() - before).as("compressions for one broadcast").isEqualTo(1);
        }
    }

    @Test
    void compressedClientMessagesAreInflatedAndRepliesCompressed() throws Exception {
        WsHub echo = TestHub.configure(cfg -> cfg.compression(true).compressionThreshold(512).maxMessageBytes(65536));
        echo.on("echo", ctx -> ctx.reply(ctx.rawData()));
        try (WsHub hub = echo.start(); DeflateSocket c = new DeflateSocket(hub.port(), OFFER)) {
            c.next();
            String text = "t".repeat(1000);
            c.send("{\"event\":\"echo\",\"data\":{\"text\":\"" + text + "\"},\"seqno\":\"7\"}", true);
            DeflateSocket.Frame reply = c.next();
            assertThat(reply.compressed()).as("a 1 KB reply is over the threshold").isTrue();
            assertThat(reply.text()).contains("\"seqno\":\"7\"").contains(text).contains("\"code\":0");
            c.send("{\"event\":\"ping\",\"seqno\":\"8\"}", false); // uncompressed messages stay allowed
            assertThat(c.next().text()).contains("\"seqno\":\"8\"");
        }
    }

    @Test
    void aMessageThatInflatesPastTheLimitGets413AndClose1009() throws Exception {
        try (WsHub hub = hub(8192); DeflateSocket c = new DeflateSocket(hub.port(), OFFER)) {
            c.next();
            String bomb = "{\"event\":\"ping\",\"data\":\"" + "a".repeat(200_000) + "\"}"; // 200 KB, a few hundred bytes compressed
            c.send(bomb, true);
            DeflateSocket.Frame error = c.next();
            assertThat(error.text()).contains("\"code\":413");
            DeflateSocket.Frame close = c.next();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.text()).isEqualTo("1009");
        }
    }

    @Test
    void aHubWithoutCompressionIgnoresTheOffer() throws Exception {
        try (WsHub hub = TestHub.start(cfg -> {}); DeflateSocket c = new DeflateSocket(hub.port(), OFFER)) {
            assertThat(c.extensionsHeader).isNull();
            c.next();
            hub.sendToAll("big", BIG);
            assertThat(c.next().compressed()).isFalse();
        }
    }
}

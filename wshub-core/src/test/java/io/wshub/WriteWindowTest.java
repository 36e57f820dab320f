package io.wshub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshub.testing.RawUpgrade;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The write window ({@link WsConfig#writeDelay}): pushes queued within it leave a connection
 * in one write, replies to the client's own requests never wait for it. Counted on real
 * sockets: what one read returns is what the server wrote in one go (on loopback a write of a
 * few KB arrives whole).
 */
class WriteWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = WsConfig.MAX_WRITE_DELAY;

    @Test
    void pushesQueuedWithinTheWindowLeaveInOneWrite() throws IOException {
        try (WsHub hub = TestHub.start(cfg -> cfg.writeDelay(WINDOW).connectedEvent(false));
             Socket s = RawUpgrade.openSilent(hub.port(), "/ws?token=" + TestHub.token("w"))) {
            awaitConnected(hub, "w");
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertThat(hub.sendToUser("w", "n", i)).isEqualTo(1);
            }
            // Sends from another thread each cost one task; a machine that stalls this thread for
            // most of the window would split them, which says nothing about the window.
            assumeThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WINDOW.dividedBy(2));
            List<String> frames = frames(readOnce(s.getInputStream()));
            assertThat(frames).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(JSON.readTree(frames.get(i)).path("data").asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void aReplyLeavesAtOnceWhileAPushToAnotherConnectionWaitsForItsWindow() throws IOException {
        // One event loop: were replies windowed, they would wait for the same flush as the
        // earlier push, which goes first; so its bytes would be there when the reply is.
        try (WsHub hub = TestHub.start(cfg -> cfg.writeDelay(WINDOW).connectedEvent(false).ioThreads(1));
             Socket pushed = RawUpgrade.openSilent(hub.port(), "/ws?token=" + TestHub.token("pushed"));
             Socket asking = RawUpgrade.openSilent(hub.port(), "/ws?token=" + TestHub.token("asking"))) {
            awaitConnected(hub, "pushed");
            awaitConnected(hub, "asking");
            assertThat(hub.sendToUser("pushed", "n", 1)).isEqualTo(1);
            asking.getOutputStream().write(clientText("{\"event\":\"ping\",\"seqno\":\"7\"}"));
            List<String> reply = frames(readOnce(asking.getInputStream()));
            assertThat(pushed.getInputStream().available()).as("bytes of the windowed push already sent").isZero();
            assertThat(reply).hasSize(1);
            assertThat(reply.get(0)).contains("\"event\":\"ping\"").contains("\"seqno\":\"7\"");
            assertPushArrives(pushed);
        }
    }

    @Test
    void theConnectedEventIsNotHeldByTheWindow() throws IOException {
        try (WsHub hub = TestHub.start(cfg -> cfg.writeDelay(WINDOW).ioThreads(1));
             Socket pushed = RawUpgrade.openSilent(hub.port(), "/ws?token=" + TestHub.token("pushed"))) {
            assertThat(JSON.readTree(frames(readOnce(pushed.getInputStream())).get(0)).path("event").asText()).isEqualTo("connected");
            assertThat(hub.sendToUser("pushed", "n", 1)).isEqualTo(1);
            try (Socket fresh = RawUpgrade.openSilent(hub.port(), "/ws?token=" + TestHub.token("fresh"))) {
                List<String> first = frames(readOnce(fresh.getInputStream()));
                assertThat(pushed.getInputStream().available()).as("bytes of the windowed push already sent").isZero();
                assertThat(first).hasSize(1);
                assertThat(JSON.readTree(first.get(0)).path("event").asText()).isEqualTo("connected");
            }
            assertPushArrives(pushed);
        }
    }

    /**
     * Without a window too, the pushes of a publisher's pipelined messages leave each
     * subscriber in one write, even when every message costs more than a read turn's clock
     * (1 ms, FrameBudgetDecoder): a turn ended after one such message gave each its own loop
     * round and so its own flush, one syscall per delivery.
     */
    @Test
    void pipelinedMessagesThatEachSpendTheTurnClockStillPushInOneWrite() throws IOException {
        WsHub hub = TestHub.configure(cfg -> cfg.connectedEvent(false).ioThreads(1));
        hub.on("spend", ctx -> {
            long until = System.nanoTime() + 2_000_000; // more than the turn clock, as a big fan-out takes
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            hub.sendToUser("sub", "n", ctx.data().asInt());
        });
        try (hub; Socket sub = RawUpgrade.openSilent(hub.start().port(), "/ws?token=" + TestHub.token("sub"));
             Socket publisher = RawUpgrade.openSilent(hub.port(), "/ws?token=" + TestHub.token("pub"))) {
            awaitConnected(hub, "sub");
            awaitConnected(hub, "pub");
            java.io.ByteArrayOutputStream four = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 4; i++) {
                four.write(clientText("{\"event\":\"spend\",\"data\":" + i + "}"));
            }
            publisher.getOutputStream().write(four.toByteArray()); // one segment, one read
            List<String> frames = frames(readOnce(sub.getInputStream()));
            assertThat(frames).as("pushes in the subscriber's first read").hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(JSON.readTree(frames.get(i)).path("data").asInt()).isEqualTo(i);
            }
        }
    }

    /** The held push does leave, when its window ends. */
    private static void assertPushArrives(Socket pushed) throws IOException {
        List<String> push = frames(readOnce(pushed.getInputStream()));
        assertThat(push).hasSize(1);
        assertThat(JSON.readTree(push.get(0)).path("event").asText()).isEqualTo("n");
    }

    /** Waits with a round trip through the hub's own API until the user's connection is registered. */
    private static void awaitConnected(WsHub hub, String user) {
        org.awaitility.Awaitility.await().until(() -> hub.connection(idOf(hub, user)).isPresent());
    }

    private static String idOf(WsHub hub, String user) {
        var page = hub.clients(new ClientQuery(user, null, null, 1, 10)).toCompletableFuture().join();
        return page.list().isEmpty() ? "" : page.list().get(0).id();
    }

    /** One read: whatever the server had written by the time any byte arrived. */
    private static byte[] readOnce(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n = in.read(buf);
        assertThat(n).isPositive();
        return java.util.Arrays.copyOf(buf, n);
    }

    /** The payloads of the complete unmasked text frames (payloads under 126 bytes) in {@code bytes}. */
    private static List<String> frames(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i + 2 <= bytes.length) {
            assertThat(bytes[i] & 0xFF).as("FIN + text").isEqualTo(0x81);
            int length = bytes[i + 1] & 0x7F;
            assertThat(length).isLessThan(126);
            assertThat(i + 2 + length).as("frame %d complete in this read", out.size()).isLessThanOrEqualTo(bytes.length);
            out.add(new String(bytes, i + 2, length, StandardCharsets.UTF_8));
            i += 2 + length;
        }
        assertThat(i).isEqualTo(bytes.length);
        return out;
    }

    /** A masked client text frame (mask key 0, so the payload reads as it is). */
    private static byte[] clientText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }
}

package io.wshub;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.cluster.MemoryHistory;
import io.wshub.cluster.StreamPosition;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** History and recovery on one node (memory engine, a clock the test moves): docs/history.md. */
class RecoveryTest {
    static final AtomicLong clock = new AtomicLong();
    static WsHub hub;

    @BeforeAll
    static void start() {
        hub = TestHub.start(cfg -> cfg.historyEngine(new MemoryHistory(clock::get)).history(
                HistoryRule.tags("race:*", 10_000, Duration.ofMinutes(5)),
                HistoryRule.tags("room:*", 5, Duration.ofMinutes(5)),
                HistoryRule.users(5, Duration.ofMinutes(5))));
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static Map<String, Object> since(JsonNode mark) {
        return Map.of("id", mark.path("stream").asText().substring("tag:".length()),
                "since", Map.of("offset", mark.path("offset").asLong(), "epoch", mark.path("epoch").asText()));
    }

    static List<String> fields(JsonNode msg) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = msg.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void pushesOnHistoryTargetsCarryTheirPositionAndOthersAreUnchanged() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode joined = c.request("join", Map.of("id", "room:wire"));
            assertThat(joined.path("stream").asText()).isEqualTo("tag:room:wire");
            assertThat(joined.path("offset").asLong()).isZero();
            assertThat(joined.path("epoch").asText()).isNotEmpty();
            assertThat(joined.has("recovered")).as("nothing to recover without since").isFalse();
            assertThat(joined.path("data").toString()).isEqualTo("[\"room:wire\"]");
            c.request("join", Map.of("id", "plain"));

            hub.sendToTag("room:wire", "m", Map.of("n", 1));
            JsonNode push = c.next("m");
            assertThat(fields(push)).containsExactly("event", "code", "data", "timestamp", "stream", "offset", "epoch");
            assertThat(push.path("offset").asLong()).isEqualTo(1);
            assertThat(push.path("epoch").asText()).isEqualTo(joined.path("epoch").asText());

            hub.sendToTag("plain", "m", Map.of("n", 2));
            assertThat(fields(c.next("m"))).containsExactly("event", "code", "data", "timestamp");
        }
    }

    @Test
    void aRejoinWithSinceGetsWhatItMissedInOrderThenLiveOnes() {
        JsonNode last;
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            c.request("join", Map.of("id", "room:a"));
            c.request("join", Map.of("id", "room:b"));
            hub.sendToTag("room:a", "m", "a1");
            last = c.next("m");
        }
        JsonNode lastB;
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) { // b's position is still 0
            c.connectedId();
            lastB = c.request("join", Map.of("id", "room:b"));
        }
        hub.sendToTag("room:a", "m", "a2");
        hub.sendToTag("room:a", "m", "a3");
        hub.sendToTag("room:b", "m", "b1");
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode a = c.request("join", since(last));
            assertThat(a.path("recovered").asBoolean()).isTrue();
            assertThat(a.path("offset").asLong()).isEqualTo(3);
            assertThat(c.next("m").path("data").asText()).isEqualTo("a2");
            assertThat(c.next("m").path("data").asText()).isEqualTo("a3");
            JsonNode b = c.request("join", since(lastB));
            assertThat(b.path("recovered").asBoolean()).isTrue();
            assertThat(b.path("data").toString()).isEqualTo("[\"room:a\",\"room:b\"]");
            assertThat(c.next("m").path("data").asText()).isEqualTo("b1");
            hub.sendToTag("room:a", "m", "a4");
            JsonNode live = c.next("m");
            assertThat(live.path("data").asText()).isEqualTo("a4");
            assertThat(live.path("offset").asLong()).isEqualTo(4);
            c.request("ping", null);
            assertThat(c.pending()).isZero();
        }
    }

    @Test
    void aGapLargerThanTheStreamAnEpochChangeAndAnExpiryAnswerNotRecovered() {
        JsonNode mark;
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            mark = c.request("join", Map.of("id", "room:gap"));
        }
        for (int i = 1; i <= 7; i++) {
            hub.sendToTag("room:gap", "m", i);
        }
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode reply = c.request("join", since(mark));
            assertThat(reply.path("recovered").asBoolean()).isFalse();
            for (int i = 3; i <= 7; i++) { // what the stream still keeps
                assertThat(c.next("m").path("offset").asLong()).isEqualTo(i);
            }
            mark = reply;
        }
        hub.removeHistory(Target.tag("room:gap")).toCompletableFuture().join();
        hub.sendToTag("room:gap", "m", "new epoch");
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode reply = c.request("join", since(mark));
            assertThat(reply.path("recovered").asBoolean()).isFalse();
            assertThat(reply.path("epoch").asText()).isNotEqualTo(mark.path("epoch").asText());
            c.request("ping", null);
            assertThat(c.pending()).as("nothing of another epoch is replayed").isZero();
            mark = reply;
        }
        clock.addAndGet(Duration.ofMinutes(6).toNanos());
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            JsonNode reply = c.request("join", since(mark));
            assertThat(reply.path("recovered").asBoolean()).as("expired").isFalse();
            assertThat(reply.path("offset").asLong()).isZero();
        }
    }

    @Test
    void theInboxPositionComesWithConnectedAndRecoversOnReconnect() {
        JsonNode connected;
        try (TestClient c = TestClient.connect(TestHub.ws(hub, "inbox-user"))) {
            connected = c.next("connected");
            assertThat(connected.path("stream").asText()).isEqualTo("user:inbox-user");
            assertThat(connected.path("offset").asLong()).isZero();
            assertThat(connected.path("data").path("userId").asText()).isEqualTo("inbox-user");
        }
        hub.sendToUser("inbox-user", "note", "n1");
        hub.sendToUser("inbox-user", "note", "n2");
        URI resume = URI.create(TestHub.ws(hub, "inbox-user") + "&since=0&epoch=" + connected.path("epoch").asText());
        try (TestClient c = TestClient.connect(resume)) {
            JsonNode again = c.next("connected");
            assertThat(again.path("recovered").asBoolean()).isTrue();
            assertThat(again.path("offset").asLong()).isEqualTo(2);
            assertThat(c.next("note").path("data").asText()).isEqualTo("n1");
            assertThat(c.next("note").path("data").asText()).isEqualTo("n2");
        }
        URI bad = URI.create(TestHub.ws(hub, "inbox-user") + "&since=x&epoch=");
        try (TestClient c = TestClient.connect(bad)) {
            assertThat(c.next("connected").path("recovered").asBoolean()).isFalse();
            c.request("ping", null);
            assertThat(c.pending()).isZero();
        }
    }

    @Test
    void aMalformedSinceIsAnsweredWith400AndJoinsNothing() {
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            for (Object since : List.of("41", Map.of("offset", -1, "epoch", "e"), Map.of("offset", 1), Map.of("offset", 1.5, "epoch", "e"))) {
                JsonNode reply = c.request("join", Map.of("id", "room:bad", "since", since));
                assertThat(reply.path("code").asInt()).as("since %s", since).isEqualTo(400);
            }
            assertThat(c.request("join", Map.of("id", "other")).path("data").toString()).isEqualTo("[\"other\"]");
        }
    }

    @Test
    void recoveryRacingLiveSendsMissesNothingAndRepeatsNothing() throws Exception {
        JsonNode mark;
        try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
            c.connectedId();
            mark = c.request("join", Map.of("id", "race:1"));
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread sender = new Thread(() -> {
            while (sending.get()) {
                hub.sendToTag("race:1", "m", sent.incrementAndGet());
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a steady stream, not a flood
            }
        });
        sender.start();
        List<Long> offsets = new ArrayList<>();
        try {
            for (int round = 0; round < 5; round++) {
                while (sent.get() < (round + 1) * 3L) {
                    Thread.onSpinWait();
                }
                try (TestClient c = TestClient.connect(TestHub.ws(hub))) {
                    c.connectedId();
                    JsonNode reply = c.request("join", since(mark));
                    assertThat(reply.path("recovered").asBoolean()).as("round %d: %s", round, reply).isTrue();
                    long expect = mark.path("offset").asLong() + 1;
                    for (int i = 0; i < 20; i++) { // the recovered ones, then live ones
                        JsonNode m = c.next("m");
                        assertThat(m.path("offset").asLong()).isEqualTo(expect++);
                        offsets.add(m.path("offset").asLong());
                        mark = m;
                    }
                }
            }
        } finally {
            sending.set(false);
            sender.join();
        }
        assertThat(offsets).doesNotHaveDuplicates();
    }
}

package io.wshub.cluster;

import io.wshub.WsConfig;
import io.wshub.WsHub;
import io.wshub.testing.ClusterProbes;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No race after {@code connected} (docs/protocol.md §6): a client that saw its connected
 * event (or a join reply) is reachable from every node at once, with no wait for the broker
 * to confirm a subscription. Sends here go out the moment the event arrives, once each; a lost
 * one fails the test. Each engine's test extends this and says how a node joins its cluster.
 *
 * <p>The rounds: {@value #ROUNDS} new users and tags on a running node; fresh nodes
 * {@code -Dwshub.race.freshNodes} times (default {@value #FRESH_NODES}: a node start costs a
 * few hundred ms; {@code -Dwshub.race.freshNodes=200} is the bar, see docs/cluster.md).
 */
public abstract class ConnectedRaceContract {
    protected static final int ROUNDS = 200;
    private static final int FRESH_NODES = 10;

    /** Sets {@code cfg}'s broker and presence to a new node of this test's cluster. */
    protected abstract WsConfig install(WsConfig cfg);

    @Test
    void aNewUserAndANewTagAreReachableFromAnotherNodeTheMomentTheClientHearsOfThem() {
        try (WsHub receiver = TestHub.start(cfg -> install(cfg.nodeId("rx")));
             WsHub sender = TestHub.start(cfg -> install(cfg.nodeId("tx")))) {
            ClusterProbes.awaitPublishing(sender);
            for (int i = 0; i < ROUNDS; i++) {
                String user = "race-" + i;
                try (TestClient c = TestClient.connect(TestHub.ws(receiver, user))) {
                    String id = c.connectedId();
                    sender.sendToUser(user, "to-user", i);
                    assertThat(c.next("to-user").path("data").asInt()).as("round %d", i).isEqualTo(i);
                    sender.sendToClient(id, "to-client", i);
                    assertThat(c.next("to-client").path("data").asInt()).isEqualTo(i);
                    c.send("join", Map.of("id", "room-" + i), "j");
                    assertThat(c.next("join").path("code").asInt()).isZero();
                    sender.sendToTag("room-" + i, "to-tag", i);
                    assertThat(c.next("to-tag").path("data").asInt()).as("round %d", i).isEqualTo(i);
                }
            }
        }
    }

    /** A node that has just started: its first connection is reachable by client id, user and everyone. */
    @Test
    void theFirstConnectionOfAFreshNodeIsReachableAtOnce() {
        int nodes = Integer.getInteger("wshub.race.freshNodes", FRESH_NODES);
        try (WsHub sender = TestHub.start(cfg -> install(cfg.nodeId("tx-fresh")))) {
            ClusterProbes.awaitPublishing(sender);
            for (int i = 0; i < nodes; i++) {
                try (WsHub fresh = TestHub.start(cfg -> install(cfg.nodeId(null).drainTimeout(Duration.ofMillis(200))));
                     TestClient c = TestClient.connect(TestHub.ws(fresh, "first-" + i))) {
                    String id = c.connectedId();
                    sender.sendToClient(id, "to-client", i);
                    sender.sendToUser("first-" + i, "to-user", i);
                    sender.sendToAll("to-all", i);
                    assertThat(c.next("to-client").path("data").asInt()).as("fresh node %d", i).isEqualTo(i);
                    assertThat(c.next("to-user").path("data").asInt()).isEqualTo(i);
                    assertThat(c.next("to-all").path("data").asInt()).isEqualTo(i);
                }
            }
        }
    }
}

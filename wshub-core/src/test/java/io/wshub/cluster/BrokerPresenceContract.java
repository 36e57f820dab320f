package io.wshub.cluster;

import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.NodeStats;
import io.wshub.Page;
import io.wshub.TagCount;
import io.wshub.Target;
import io.wshub.UserCount;
import io.wshub.WsConfig;
import io.wshub.protocol.RawJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The {@link Broker} and {@link Presence} contract (docs/cluster.md "What is guaranteed"), run
 * against every engine: a subclass says how to make a member of its engine's cluster, and
 * inherits every case (Centrifuge's shared broker tests are the model).
 *
 * <p>The members are the SPIs alone, without hubs: each has a sink that records what arrives
 * ({@link ContractMember}) and a map that plays its registry. Every test gets a fresh cluster
 * name ({@link #install}'s {@code cluster}), which an engine turns into its prefix, so tests
 * sharing one server never see each other.
 */
public abstract class BrokerPresenceContract {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private final String cluster = "c" + CLUSTERS.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
    private final List<ContractMember> members = new ArrayList<>();

    /** Sets {@code cfg}'s broker and presence to a new member of cluster {@code cluster}. */
    protected abstract WsConfig install(WsConfig cfg, String cluster);

    /** Starts a member named {@code nodeId} (unique within the test). */
    protected ContractMember member(String nodeId) {
        WsConfig cfg = install(new WsConfig(), cluster);
        ContractMember m = new ContractMember(nodeId, cfg.broker(), cfg.presence());
        members.add(m);
        return m;
    }

    @AfterEach
    void closeMembers() {
        List<ContractMember> all = new ArrayList<>(members);
        Collections.reverse(all);
        all.forEach(ContractMember::close);
    }

    // ---- broker ---------------------------------------------------------------------------

    @Test
    void aSendReachesOnlyTheNodesSubscribedToItsUserOrTag() {
        ContractMember a = member("a"), b = member("b"), c = member("c");
        a.broker.subscribe(Target.user("u1"));
        c.broker.subscribe(Target.tag("room"));
        b.awaitRoute(a, Target.user("u1"));
        b.awaitRoute(c, Target.tag("room"));

        b.send(Target.user("u1"), "hello", "{\"n\":1}");
        b.send(Target.tag("room"), "tagged", "[1,2]");
        Envelope toUser = a.next();
        assertThat(toUser.event()).isEqualTo("hello");
        assertThat(toUser.target()).isEqualTo(Target.user("u1"));
        assertThat(toUser.origin()).isEqualTo(b.id);
        assertThat(toUser.data()).isEqualTo(RawJson.of("{\"n\":1}"));
        assertThat(c.next().event()).isEqualTo("tagged");
        a.assertQuiet(b);
        c.assertQuiet(b);
        b.assertQuiet(a);
    }

    @Test
    void everyOtherNodeGetsSendsToAllAndThePublisherNone() {
        ContractMember a = member("a"), b = member("b"), c = member("c");
        a.awaitRoute(b, Target.ALL);
        a.awaitRoute(c, Target.ALL);
        a.send(Target.ALL, "everyone", "null");
        assertThat(b.next().target()).isEqualTo(Target.ALL);
        assertThat(c.next().event()).isEqualTo("everyone");
        a.assertQuiet(b);
    }

    @Test
    void aSendOrKickForAClientIdGoesToTheNodeThatMadeIt() {
        ContractMember a = member("a"), b = member("b"), c = member("c");
        Target client = Target.client(a.id + ".k1");
        b.awaitRoute(a, client);
        b.publish(new Envelope(Envelope.Op.KICK, client, null, RawJson.of("\"spam \\\"x\\\"\""), b.id));
        Envelope kick = a.next();
        assertThat(kick.op()).isEqualTo(Envelope.Op.KICK);
        assertThat(kick.target()).isEqualTo(client);
        assertThat(kick.event()).isNull();
        assertThat(kick.data()).isEqualTo(RawJson.of("\"spam \\\"x\\\"\""));
        c.assertQuiet(b);
        // A client id that names no node reaches nobody, and is no failure.
        assertThat(b.broker.publish(new Envelope(Envelope.Op.SEND, Target.client("nodot"), "e", RawJson.NULL, b.id))).isTrue();
        a.assertQuiet(b);
    }

    @Test
    void subscriptionsCountCallsAndEndWithTheLastUnsubscribe() {
        ContractMember a = member("a"), b = member("b");
        Target user = Target.user("twice");
        a.broker.subscribe(user);
        a.broker.subscribe(user);
        b.awaitRoute(a, user);
        a.broker.unsubscribe(user);
        b.send(user, "still", "1");
        assertThat(a.next().event()).isEqualTo("still");
        a.broker.unsubscribe(user);
        b.awaitNoRoute(a, user);
        // Subscribing again after the last unsubscribe works as the first time did.
        a.broker.subscribe(user);
        b.awaitRoute(a, user);
    }

    @Test
    void sendsOfOnePublisherToOneTargetArriveInOrder() {
        ContractMember a = member("a"), b = member("b");
        Target tag = Target.tag("ordered");
        a.broker.subscribe(tag);
        b.awaitRoute(a, tag);
        int n = 300;
        for (int i = 0; i < n; i++) {
            assertThat(b.send(tag, "seq", Integer.toString(i))).isTrue();
        }
        for (int i = 0; i < n; i++) {
            assertThat(a.next().data()).isEqualTo(RawJson.of(Integer.toString(i)));
        }
    }

    @Test
    void eventsAndDataTravelByteForByte() {
        ContractMember a = member("a"), b = member("b");
        Target user = Target.user("ünï:cödé/42");
        a.broker.subscribe(user);
        b.awaitRoute(a, user);
        String data = "{\"text\":\"line1\\nline2 \\u00e9 \u4e2d\u6587 \uD83D\uDE00\",\"nested\":{\"a\":[1,2.5,null,true]}}";
        b.send(user, "chat/send \u00e9", data);
        Envelope e = a.next();
        assertThat(e.event()).isEqualTo("chat/send \u00e9");
        assertThat(e.target()).isEqualTo(user);
        assertThat(e.data().bytes()).isEqualTo(RawJson.of(data).bytes());
    }

    @Test
    void rawFramesTravelWithTheirFrameTypeAndPayload() {
        ContractMember a = member("a"), b = member("b");
        Target tag = Target.tag("raw-room");
        a.broker.subscribe(tag);
        b.awaitRoute(a, tag);
        RawJson payload = RawJson.of("\"AAEC/w==\""); // a binary frame's bytes, base64 in a JSON string
        assertThat(b.broker.publish(new Envelope(Envelope.Op.RAW, tag, "binary", payload, b.id))).isTrue();
        Envelope e = a.next();
        assertThat(e.op()).isEqualTo(Envelope.Op.RAW);
        assertThat(e.event()).isEqualTo("binary");
        assertThat(e.target()).isEqualTo(tag);
        assertThat(e.data().bytes()).isEqualTo(payload.bytes());
    }

    // ---- presence -------------------------------------------------------------------------

    @Test
    void presenceListsTheConnectionsOfEveryNodeFromEveryNode() {
        ContractMember a = member("a"), b = member("b");
        ClientInfo alice = a.connect("alice", "room", "vip");
        ClientInfo bob = b.connect("bob", "room");
        ClientInfo alice2 = b.connect("alice");
        for (ContractMember m : List.of(a, b)) {
            await().untilAsserted(() -> assertThat(ids(m.clients(ClientQuery.all())))
                    .containsExactlyInAnyOrder(alice.id(), bob.id(), alice2.id()));
            await().untilAsserted(() -> assertThat(m.join(m.presence.users()))
                    .containsExactly(new UserCount("alice", 2), new UserCount("bob", 1)));
            await().untilAsserted(() -> assertThat(m.join(m.presence.tags()))
                    .containsExactly(new TagCount("room", 2), new TagCount("vip", 1)));
            await().untilAsserted(() -> assertThat(m.join(m.presence.nodes())).containsExactly(a.id, b.id));
        }
        ClientInfo remoteBob = a.clients(new ClientQuery("bob", null, null, 1, 10)).list().get(0);
        assertThat(remoteBob).isEqualTo(bob);
        assertThat(a.clients(new ClientQuery(null, "vip", null, 1, 10)).list()).containsExactly(alice);

        assertThat(a.join(a.presence.countElsewhere(Target.user("alice")))).isEqualTo(1);
        assertThat(a.join(a.presence.countElsewhere(Target.user("bob")))).isEqualTo(1);
        assertThat(b.join(b.presence.countElsewhere(Target.user("bob")))).isZero();
        assertThat(b.join(b.presence.countElsewhere(Target.tag("room")))).isEqualTo(1);
        assertThat(b.join(b.presence.countElsewhere(Target.tag("vip")))).isEqualTo(1);
        assertThat(b.join(b.presence.countElsewhere(Target.ALL))).isEqualTo(1);
        assertThat(a.join(a.presence.countElsewhere(Target.ALL))).isEqualTo(2);
        assertThat(b.join(b.presence.countElsewhere(Target.client(alice.id())))).isEqualTo(1);
        assertThat(a.join(a.presence.countElsewhere(Target.client(alice.id())))).isZero();
        assertThat(b.join(b.presence.countElsewhere(Target.client(a.id + ".gone")))).isZero();
    }

    @Test
    void tagChangesAndDisconnectsReachTheOtherNodes() {
        ContractMember a = member("a"), b = member("b");
        ClientInfo carol = a.connect("carol", "one");
        await().untilAsserted(() -> assertThat(b.join(b.presence.tags())).containsExactly(new TagCount("one", 1)));
        a.retag(carol, "two", "three");
        await().untilAsserted(() -> assertThat(b.join(b.presence.tags()))
                .containsExactly(new TagCount("three", 1), new TagCount("two", 1)));
        assertThat(b.clients(ClientQuery.all()).list().get(0).tags()).containsExactlyInAnyOrder("two", "three");
        a.disconnect(carol);
        await().untilAsserted(() -> assertThat(b.clients(ClientQuery.all()).total()).isZero());
        assertThat(b.join(b.presence.users())).isEmpty();
        assertThat(b.join(b.presence.tags())).isEmpty();
        assertThat(b.join(b.presence.countElsewhere(Target.user("carol")))).isZero();
    }

    @Test
    void pagesAreCutFromTheWholeClusterInConnectOrder() {
        ContractMember a = member("a"), b = member("b");
        List<ClientInfo> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add((i % 2 == 0 ? a : b).connect("p" + i));
        }
        await().untilAsserted(() -> assertThat(b.clients(ClientQuery.all()).total()).isEqualTo(5));
        List<String> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            Page<ClientInfo> p = b.clients(new ClientQuery(null, null, null, page, 2));
            assertThat(p.total()).isEqualTo(5);
            assertThat(p.list()).hasSize(page < 3 ? 2 : 1);
            seen.addAll(ids(p));
        }
        assertThat(seen).isEqualTo(all.stream().map(ClientInfo::id).toList());
    }

    @Test
    void aNodeThatClosesLeavesThePresenceOfTheOthers() {
        ContractMember a = member("a"), b = member("b");
        b.connect("dan");
        await().untilAsserted(() -> assertThat(a.join(a.presence.nodes())).containsExactly(a.id, b.id));
        await().untilAsserted(() -> assertThat(a.clients(ClientQuery.all()).total()).isEqualTo(1));
        b.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.join(a.presence.nodes())).containsExactly(a.id));
        assertThat(a.clients(ClientQuery.all()).total()).isZero();
        assertThat(a.join(a.presence.users())).isEmpty();
    }

    @Test
    void everyLiveNodeSharesItsStatsAndAClosedNodeLeavesThem() {
        ContractMember a = member("a"), b = member("b");
        a.connect("ann");
        b.connect("bob");
        b.connect("bob");
        b.connect("bea");
        b.messagesIn.set(42);
        for (ContractMember m : List.of(a, b)) {
            await().untilAsserted(() -> assertThat(m.nodeStats())
                    .extracting(NodeStats::nodeId, NodeStats::connections, NodeStats::users)
                    .containsExactly(tuple(a.id, 1L, 1L), tuple(b.id, 3L, 2L)));
        }
        NodeStats seenFromA = a.nodeStats().get(1);
        assertThat(seenFromA.messagesIn()).isEqualTo(42);
        assertThat(seenFromA.messagesInPerSecond()).isEqualTo(0.5);
        assertThat(seenFromA.startedAt()).isEqualTo(b.stats().startedAt());
        assertThat(seenFromA.heartbeatAt()).isBetween(b.stats().startedAt(), java.time.Instant.now());
        // The asking node's own record is the fresh one it passed, not a stored copy.
        NodeStats self = a.stats();
        assertThat(a.join(a.presence.nodeStats(self))).first().isSameAs(self);

        b.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.nodeStats())
                .extracting(NodeStats::nodeId).containsExactly(a.id));
    }

    private static List<String> ids(Page<ClientInfo> page) {
        return page.list().stream().map(ClientInfo::id).toList();
    }

    /** Tags as a set, for {@link ContractMember#connect}. */
    static Set<String> tags(String... tags) {
        return Set.of(tags);
    }
}

package io.wshub.cluster;

import io.wshub.Target;
import io.wshub.protocol.RawJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link History} engine must do, run against each of them (memory here, Redis in
 * wshub-redis): extend it, make {@link #member} give members of one shared store, and say how
 * time passes and how the store is lost.
 */
public abstract class HistoryContract {
    protected static final Retention KEEP_5 = new Retention(5, Duration.ofMinutes(5));
    private final List<Member> members = new ArrayList<>();

    /** One node's view of the store under test. */
    public interface Member extends AutoCloseable {
        History history();

        /** Makes live publications of {@code stream} reach this member's sink (and waits until they do). */
        void subscribe(Target stream);

        @Override
        void close();
    }

    /** A started member on {@code nodeId} of the store under test, delivering to {@code sink}. */
    protected abstract Member newMember(String nodeId, Broker.Sink sink);

    /** Lets {@code d} pass for the store's TTLs. */
    protected abstract void passTime(Duration d);

    /** The store loses everything (Redis FLUSHALL). */
    protected abstract void loseEverything();

    /** A retention whose TTL {@link #passTime} can outlive quickly. */
    protected Retention shortTtl() {
        return new Retention(5, Duration.ofMillis(300));
    }

    protected Member member(String nodeId, Broker.Sink sink) {
        Member m = newMember(nodeId, sink);
        members.add(m);
        return m;
    }

    @AfterEach
    void closeMembers() {
        members.forEach(Member::close);
    }

    static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Envelope send(Target t, String event, String json) {
        return new Envelope(Envelope.Op.SEND, t, event, RawJson.of(json), "a");
    }

    @Test
    void offsetsCountFromOneInOneEpochAndReadsReturnWhatFollows() {
        Member a = member("a", e -> {});
        Target t = Target.tag("room:offsets");
        StreamPosition first = get(a.history().publish(send(t, "m", "1"), KEEP_5));
        StreamPosition second = get(a.history().publish(send(t, "m", "2"), KEEP_5));
        assertThat(first.offset()).isEqualTo(1);
        assertThat(second).isEqualTo(new StreamPosition(2, first.epoch()));

        StreamSlice slice = get(a.history().read(t, 1, 10, KEEP_5));
        assertThat(slice.position()).isEqualTo(second);
        assertThat(slice.publications()).extracting(Publication::offset).containsExactly(2L);
        assertThat(slice.publications().get(0).event()).isEqualTo("m");
        assertThat(slice.publications().get(0).data().toString()).isEqualTo("2");
        assertThat(slice.continues(first)).isTrue();
        assertThat(get(a.history().read(t, 0, 1, KEEP_5)).publications()).extracting(Publication::offset).containsExactly(1L);
    }

    @Test
    void anUnknownStreamReadsAsOffsetZeroAndKeepsTheEpochItWasToldWith() {
        Member a = member("a", e -> {});
        Member b = member("b", e -> {});
        Target t = Target.user("nobody-yet");
        StreamPosition empty = get(a.history().read(t, 0, 10, KEEP_5)).position();
        assertThat(empty.offset()).isZero();
        StreamPosition sent = get(b.history().publish(send(t, "m", "1"), KEEP_5));
        assertThat(sent).isEqualTo(new StreamPosition(1, empty.epoch()));
        assertThat(get(b.history().read(t, 0, 10, KEEP_5)).continues(empty)).isTrue();
    }

    @Test
    void aStreamKeepsItsLastSizePublicationsAndAnOlderPositionDoesNotContinue() {
        Member a = member("a", e -> {});
        Target t = Target.tag("room:trim");
        StreamPosition p = null;
        for (int i = 1; i <= 8; i++) {
            p = get(a.history().publish(send(t, "m", Integer.toString(i)), KEEP_5));
        }
        StreamSlice all = get(a.history().read(t, 0, 100, KEEP_5));
        assertThat(all.publications()).extracting(Publication::offset).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(all.continues(new StreamPosition(2, p.epoch()))).isFalse(); // 3 is gone
        assertThat(all.continues(new StreamPosition(3, p.epoch()))).isTrue();
        assertThat(all.continues(new StreamPosition(9, p.epoch()))).as("ahead of the stream").isFalse();
        assertThat(all.continues(new StreamPosition(8, "other"))).as("another epoch").isFalse();
    }

    @Test
    void removeAndExpiryAndLossStartANewEpoch() {
        Member a = member("a", e -> {});
        Target t = Target.tag("room:epochs");
        StreamPosition before = get(a.history().publish(send(t, "m", "1"), KEEP_5));
        get(a.history().remove(t));
        StreamPosition afterRemove = get(a.history().publish(send(t, "m", "1"), KEEP_5));
        assertThat(afterRemove.offset()).isEqualTo(1);
        assertThat(afterRemove.epoch()).isNotEqualTo(before.epoch());

        loseEverything();
        StreamPosition afterLoss = get(a.history().read(t, 0, 10, KEEP_5)).position();
        assertThat(afterLoss.offset()).isZero();
        assertThat(afterLoss.epoch()).isNotEqualTo(afterRemove.epoch());

        Retention shortTtl = shortTtl();
        Target u = Target.user("ttl");
        StreamPosition kept = get(a.history().publish(send(u, "m", "1"), shortTtl));
        passTime(shortTtl.ttl().multipliedBy(2));
        StreamSlice expired = get(a.history().read(u, 0, 10, shortTtl));
        assertThat(expired.publications()).isEmpty();
        assertThat(expired.position().epoch()).isNotEqualTo(kept.epoch());
        assertThat(expired.continues(kept)).isFalse();
    }

    @Test
    void everyMemberGetsEveryPublicationWithItsPositionInOffsetOrder() throws InterruptedException {
        List<Envelope> atA = new CopyOnWriteArrayList<>();
        List<Envelope> atB = new CopyOnWriteArrayList<>();
        Member a = member("a", atA::add);
        Member b = member("b", atB::add);
        Target t = Target.tag("room:order");
        a.subscribe(t);
        b.subscribe(t);
        int perNode = 200;
        Thread fromB = new Thread(() -> {
            for (int i = 0; i < perNode; i++) {
                b.history().publish(new Envelope(Envelope.Op.SEND, t, "m", RawJson.of("1"), "b"), KEEP_5);
            }
        });
        fromB.start();
        for (int i = 0; i < perNode; i++) {
            a.history().publish(send(t, "m", "1"), KEEP_5);
        }
        fromB.join();
        await().atMost(Duration.ofSeconds(10)).until(() -> atA.size() == 2 * perNode && atB.size() == 2 * perNode);
        for (List<Envelope> seen : List.of(atA, atB)) {
            assertThat(seen).extracting(e -> e.position().offset())
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2 * perNode).boxed().toList());
            assertThat(seen).allSatisfy(e -> {
                assertThat(e.target()).isEqualTo(t);
                assertThat(e.event()).isEqualTo("m");
            });
        }
        assertThat(atA).extracting(Envelope::origin).contains("a", "b");
    }
}

package io.wshub.nats;

import io.wshub.Target;
import io.wshub.cluster.Envelope;
import io.wshub.protocol.RawJson;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What only the NATS broker promises beyond the contract. */
class NatsBrokerTest {

    @Test
    void aSubscriptionIsLiveWhenWhenSubscribedCompletes() throws Exception {
        try (NatsServer nats = NatsServer.start();
             NatsBroker a = new NatsBroker(nats.url(), "t1");
             NatsBroker b = new NatsBroker(nats.url(), "t1")) {
            BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
            a.start("a", inbox::add);
            b.start("b", e -> { });
            await().until(() -> b.publish(new Envelope(Envelope.Op.SEND, Target.ALL, "up", RawJson.NULL, "b"))
                    && inbox.poll(100, TimeUnit.MILLISECONDS) != null);
            inbox.clear();
            for (int i = 0; i < 20; i++) {
                Target user = Target.user("u" + i);
                a.subscribe(user);
                a.whenSubscribed(user).toCompletableFuture().get(5, TimeUnit.SECONDS);
                // One publish, no retry: the subscription must already be live.
                assertThat(b.publish(new Envelope(Envelope.Op.SEND, user, "hi", RawJson.of(Integer.toString(i)), "b"))).isTrue();
                Envelope e = inbox.poll(5, TimeUnit.SECONDS);
                assertThat(e).as("send %d right after whenSubscribed", i).isNotNull();
                assertThat(e.data()).isEqualTo(RawJson.of(Integer.toString(i)));
            }
        }
    }

    @Test
    void whenSubscribedCompletesAtOnceWhileNatsIsDown() throws Exception {
        NatsServer nats = NatsServer.start();
        nats.kill();
        try (nats; NatsBroker a = new NatsBroker(nats.url(), "t2")) {
            a.start("a", e -> { });
            a.subscribe(Target.tag("x"));
            a.whenSubscribed(Target.tag("x")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(a.publish(new Envelope(Envelope.Op.SEND, Target.tag("x"), "e", RawJson.NULL, "a"))).isFalse();
        }
    }
}

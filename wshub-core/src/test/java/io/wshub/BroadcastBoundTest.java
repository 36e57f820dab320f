package io.wshub;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.wshub.protocol.Protocol;
import io.wshub.testing.TestClient;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broadcast is bounded when the send is made: pushes handed to a busy event loop count
 * against each connection's outbound limit, so a sender that outruns the loop closes those
 * connections with 4008 instead of queueing tasks (and the buffers they hold) without end.
 */
class BroadcastBoundTest {
    private static final int CLIENTS = 8;
    private static final int QUEUE_BYTES = 16 * 1024;
    private static final int SENDS = 100_000;

    @Test
    void aHundredThousandBroadcastsAtABusyLoopLeaveDirectMemoryWithinTheOutboundLimits() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WsHub hub = TestHub.configure(cfg -> cfg.ioThreads(1).outboundQueueBytes(QUEUE_BYTES))
                .on("block", ctx -> {
                    // Holds the hub's only event loop, so every broadcast below is a pending hand-off.
                    blocked.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ctx.reply(null);
                }).start()) {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                TestClient c = TestClient.connect(TestHub.ws(hub, "u" + i));
                c.connectedId();
                clients.add(c);
            }
            String payload = "p".repeat(200);
            assertThat(hub.sendToAll("tick", payload)).isEqualTo(CLIENTS); // the allocator's arenas are set up
            for (TestClient c : clients) {
                c.next("tick");
            }
            PooledByteBufAllocatorMetric direct = PooledByteBufAllocator.DEFAULT.metric();
            long before;
            long peak;

            try {
                clients.get(0).send("block", null, "1");
                assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
                before = direct.usedDirectMemory();
                peak = before;
                for (int i = 0; i < SENDS; i++) {
                    hub.sendToAll("tick", payload);
                    if (i % 1000 == 0) {
                        peak = Math.max(peak, direct.usedDirectMemory());
                    }
                }
                peak = Math.max(peak, direct.usedDirectMemory());
                // Every connection is over its limit by now, so later sends reach no one.
                assertThat(hub.sendToAll("tick", payload)).isZero();
            } finally {
                release.countDown();
            }
            // Unbounded, the 100,000 frames (256 bytes each) held by queued tasks would be 25 MB;
            // bounded, they are at most each connection's limit, plus the allocator's granularity.
            long bound = (long) CLIENTS * QUEUE_BYTES + direct.chunkSize();
            assertThat(peak - before).as("direct memory growth, bound %d", bound).isLessThanOrEqualTo(bound);
            for (TestClient c : clients) {
                assertThat(c.awaitClose()).isEqualTo(Protocol.CLOSE_SLOW_CONSUMER);
            }
            assertThat(hub.meterRegistry().get("wshub.slow.consumer.closes").counter().count()).isEqualTo(CLIENTS);
        }
    }
}

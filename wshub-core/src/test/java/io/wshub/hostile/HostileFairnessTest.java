package io.wshub.hostile;

import io.wshub.WsHub;
import io.wshub.protocol.Protocol;
import io.wshub.testing.RawWs;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hostile connection never delays the others on its event loop by more than a few
 * milliseconds (docs/limits.md "Fairness"). On a hub with ONE event loop, a raw client writes
 * tiny frames as fast as TCP takes them (64 KiB writes of JSON pings and 2-byte WebSocket
 * pings, about 4,400 frames a write) while a polite client on the same loop times ping round
 * trips.
 *
 * <p>Measured p99 of 200 polite round trips under the flood. Before the per-turn frame budget
 * (FrameBudgetDecoder): over 10,000 ms (the polite reply did not come within the socket's 10 s
 * timeout). With the 64-frame budget alone, on a quiet 2-core machine: 10-20 ms with paranoid
 * leak detection (how this suite runs), 5-9 ms with leak detection disabled (how the jar runs).
 * With the 1 ms work budget added, quiet machine: 3-5 ms paranoid and 2-8 ms disabled in the
 * first runs (0-4 ms with no flood); then, as the machine got busier (load 2-4): 4-10 ms in 7 of
 * 10 paranoid runs (21, 39 ms in the others) and 9-36 ms in 4 of 5 disabled runs (119 ms once).
 * The tail is the JVM, not the read turn: this JVM hosts the flooding client too, and its GC
 * log showed G1 pauses of up to 186 ms in one run. On a shared machine at load 8-12 the
 * 64-frame budget gave
 * 141-227 ms. The bound below sits far under an unbounded read turn (10 s) and under slices
 * run back to back with no I/O between them (1.9 s, see FrameBudgetDecoder), and well over
 * what a loaded machine and its GC pauses add, so it cannot flake; the few-millisecond figure
 * is printed ("fairness: polite p99 ...") rather than asserted.
 */
class HostileFairnessTest {
    /** The bound on the polite client's p99 round trip while the flood runs. */
    private static final long P99_BOUND_MILLIS = 500;
    private static final int WARM_UP = 20;
    private static final int SAMPLES = 200;

    @Test
    void aClientFloodingTinyFramesDoesNotHoldUpAnotherOnTheSameEventLoop() throws Exception {
        try (WsHub hub = TestHub.start(cfg -> cfg.ioThreads(1));
             RawWs hostile = RawWs.open(hub.port(), "/ws");
             RawWs polite = RawWs.open(hub.port(), "/ws")) {
            assertThat(hostile.nextText()).contains("\"connected\"");
            assertThat(polite.nextText()).contains("\"connected\"");
            long quiet = p99RoundTripMillis(polite);
            Flood flood = new Flood(hostile);
            flood.start();
            try {
                flood.awaitRepliesFlowing();
                long p99 = p99RoundTripMillis(polite);
                System.out.printf("fairness: polite p99 %d ms under a flood of %d frames (%d replies, %d pongs so far), %d ms without%n",
                        p99, flood.framesSent(), flood.replies.get(), flood.pongs.get(), quiet);
                assertThat(p99).as("polite p99 round trip (ms) next to a flooding client").isLessThan(P99_BOUND_MILLIS);
            } finally {
                flood.stopWriting();
            }
            // The flooder was served too, only in slices: code 0 replies and pongs, nothing else, never closed.
            assertThat(flood.closeCode.get()).as("close code seen by the flooder").isZero();
            assertThat(flood.badReplies.get()).as("replies other than a code 0 ping").isZero();
            assertThat(flood.pongs.get()).isPositive();
        }
    }

    @Test
    void aFloodOverTheRateLimitGets429ThenClose4029WhileTheOtherClientIsServed() throws Exception {
        try (WsHub hub = TestHub.start(cfg -> cfg.ioThreads(1).rateLimit(10, 10));
             RawWs hostile = RawWs.open(hub.port(), "/ws");
             RawWs polite = RawWs.open(hub.port(), "/ws")) {
            hostile.nextText();
            polite.nextText();
            Flood flood = new Flood(hostile);
            flood.start();
            flood.awaitEnd();
            flood.stopWriting();
            assertThat(flood.limited.get()).as("429 replies before the close").isPositive();
            assertThat(flood.closeCode.get()).isEqualTo(Protocol.CLOSE_RATE_LIMITED);
            polite.sendText("{\"event\":\"ping\",\"seqno\":\"after\"}");
            assertThat(polite.nextText()).contains("\"code\":0").contains("\"seqno\":\"after\"");
        }
    }

    /** p99 of {@value #SAMPLES} sequential ping round trips, after {@value #WARM_UP} untimed ones. */
    private static long p99RoundTripMillis(RawWs ws) {
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < WARM_UP + SAMPLES; i++) {
            String seqno = "p" + i;
            long start = System.nanoTime();
            ws.sendText("{\"event\":\"ping\",\"seqno\":\"" + seqno + "\"}");
            String reply = ws.nextText();
            long took = System.nanoTime() - start;
            assertThat(reply).contains("\"seqno\":\"" + seqno + "\"").contains("\"code\":0");
            if (i >= WARM_UP) {
                nanos[i - WARM_UP] = took;
            }
        }
        Arrays.sort(nanos);
        return nanos[SAMPLES * 99 / 100] / 1_000_000;
    }

    /** The hostile side: one thread writes bursts until stopped, one reads everything the server answers. */
    private static final class Flood {
        private final RawWs ws;
        private final byte[] burst = burst();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final AtomicLong bursts = new AtomicLong();
        final AtomicInteger replies = new AtomicInteger();
        final AtomicInteger pongs = new AtomicInteger();
        final AtomicInteger limited = new AtomicInteger();
        final AtomicInteger badReplies = new AtomicInteger();
        final AtomicInteger closeCode = new AtomicInteger();
        private final Thread writer;
        private final Thread reader;

        Flood(RawWs ws) {
            this.ws = ws;
            this.writer = new Thread(() -> {
                while (writing.get() && ws.tryWrite(burst)) {
                    bursts.incrementAndGet();
                }
            }, "flood-writer");
            this.reader = new Thread(this::read, "flood-reader");
        }

        /** 64 KiB of frames: a JSON ping (no seqno) and a WebSocket ping with a 2-byte payload, repeated. */
        static byte[] burst() {
            byte[] pair = RawWs.concat(RawWs.text("{\"event\":\"ping\"}"), RawWs.frame(RawWs.PING, new byte[]{1, 2}));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < PAIRS; i++) {
                b.writeBytes(pair);
            }
            return b.toByteArray();
        }

        static final int PAIRS = 65536 / 30; // a pair is 22 + 8 bytes

        void start() {
            writer.start();
            reader.start();
        }

        private void read() {
            for (RawWs.Frame f = ws.read(); f != null; f = ws.read()) {
                if (f.opcode() == RawWs.PONG) {
                    pongs.incrementAndGet();
                } else if (f.opcode() == RawWs.CLOSE) {
                    closeCode.set(f.closeCode());
                    return;
                } else if (f.opcode() == RawWs.TEXT && f.text().startsWith("{\"event\":\"ping\",\"code\":0")) {
                    replies.incrementAndGet();
                } else if (f.opcode() == RawWs.TEXT && f.text().startsWith("{\"event\":\"ping\",\"code\":429")) {
                    limited.incrementAndGet();
                } else {
                    badReplies.incrementAndGet();
                }
            }
        }

        void awaitRepliesFlowing() throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (replies.get() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(replies.get()).as("replies to the flood").isGreaterThanOrEqualTo(1000);
        }

        void stopWriting() throws InterruptedException {
            writing.set(false);
            writer.join(30_000);
            assertThat(writer.isAlive()).as("flood writer stuck").isFalse();
        }

        /** Waits for the server's close frame (or the end of the stream). */
        void awaitEnd() throws InterruptedException {
            reader.join(30_000);
            assertThat(reader.isAlive()).as("the flooder was never closed").isFalse();
        }

        long framesSent() {
            return bursts.get() * PAIRS * 2;
        }
    }
}

package io.wshub.internal;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.wshub.WsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The automatic write window's rule (docs/tuning.md "The write window"), and how a round of
 * flushes shares its event loop (a real Netty loop; the members stand in for connections).
 */
class LoopFlusherTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CAP = WsConfig.AUTO_WRITE_DELAY_MAX.toNanos();

    @Test
    void aLoopBusyFlushingHoldsTheNextFlushAsLongAsTheLastRoundTookAtMostTheCap() {
        assertThat(LoopFlusher.autoHold(2 * MS, 0, CAP)).isEqualTo(2 * MS);
        assertThat(LoopFlusher.autoHold(2 * MS, MS, CAP)).isEqualTo(2 * MS);
        assertThat(LoopFlusher.autoHold(30 * MS, MS, CAP)).isEqualTo(CAP);
    }

    @Test
    void aLoopThatWasIdleSinceOrFlushedOnlyAFewConnectionsFlushesAtOnce() {
        assertThat(LoopFlusher.autoHold(2 * MS, 2 * MS, CAP)).as("idle as long as it flushed").isZero();
        assertThat(LoopFlusher.autoHold(2 * MS, 1000 * MS, CAP)).as("a push after a quiet second").isZero();
        assertThat(LoopFlusher.autoHold(LoopFlusher.BUSY_ROUND_NANOS - 1, 0, CAP)).as("a short round").isZero();
        assertThat(LoopFlusher.autoHold(0, 0, CAP)).as("no round yet").isZero();
    }

    @Test
    void theAutomaticWindowIsTheDefaultAndAFixedOneReplacesIt() {
        WsConfig cfg = new WsConfig();
        assertThat(cfg.writeDelayAuto()).isTrue();
        assertThat(cfg.writeDelay()).isZero();
        cfg.writeDelay(Duration.ZERO);
        assertThat(cfg.writeDelayAuto()).as("0 = never hold").isFalse();
        cfg.writeDelay(Duration.ofMillis(5)).autoWriteDelay();
        assertThat(cfg.writeDelayAuto()).isTrue();
        assertThat(cfg.writeDelay()).isZero();
        assertThat(cfg.autoWriteDelayMax()).isEqualTo(WsConfig.AUTO_WRITE_DELAY_MAX);
    }

    @Test
    void theAutomaticWindowsCapIsSetWithinItsBounds() {
        WsConfig cfg = new WsConfig().writeDelay(Duration.ofMillis(5)).autoWriteDelay(Duration.ofMillis(200));
        assertThat(cfg.writeDelayAuto()).isTrue();
        assertThat(cfg.writeDelay()).isZero();
        assertThat(cfg.autoWriteDelayMax()).isEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> cfg.autoWriteDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a write delay of 0 never holds");
        assertThatThrownBy(() -> cfg.autoWriteDelay(WsConfig.MAX_WRITE_DELAY.plusMillis(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(cfg.autoWriteDelayMax()).as("a refused cap changes nothing").isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aRoundLongerThanASliceLetsWorkQueuedMeanwhileRunBeforeItGoesOn() throws Exception {
        onLoop(loop -> {
            LoopFlusher flusher = new LoopFlusher(loop, 0, 0);
            List<String> log = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(4);
            // Each flush takes longer than a slice, as thousands of socket writes do.
            Member m0 = new Member("m0", log, done, () -> loop.execute(() -> log.add("task")));
            Member m1 = new Member("m1", log, done, null);
            Member m2 = new Member("m2", log, done, null);
            Member m3 = new Member("m3", log, done, null);
            loop.execute(() -> List.of(m0, m1, m2, m3).forEach(flusher::add));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(log).as("the task queued during the first flush ran before the round went on")
                    .containsExactly("m0", "task", "m1", "m2", "m3");
        });
    }

    @Test
    void aPushDuringARoundLeavesInItWhenTheRoundHasNotReachedItsConnectionElseInTheNext() throws Exception {
        onLoop(loop -> {
            LoopFlusher flusher = new LoopFlusher(loop, 0, 0);
            List<String> log = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(4);
            Member[] members = new Member[3];
            members[0] = new Member("a", log, done, () -> {
                flusher.add(members[0]); // already flushed in this round: the next one
                flusher.add(members[2]); // not reached yet: this one, once
            });
            members[1] = new Member("b", log, done, null);
            members[2] = new Member("c", log, done, null);
            loop.execute(() -> List.of(members).forEach(flusher::add));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(log).containsExactly("a", "b", "c", "a");
        });
    }

    /** Runs {@code test} with a real Netty event loop of its own, shut down after. */
    private static void onLoop(LoopTest test) throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            test.run(loop);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private interface LoopTest {
        void run(EventLoop loop) throws Exception;
    }

    /** A connection whose flush takes longer than a slice; runs {@code during} in its first flush. */
    private static final class Member implements LoopFlusher.Member {
        private final String name;
        private final List<String> log;
        private final CountDownLatch done;
        private Runnable during;
        private boolean registered;

        Member(String name, List<String> log, CountDownLatch done, Runnable during) {
            this.name = name;
            this.log = log;
            this.done = done;
            this.during = during;
        }

        @Override
        public boolean registerFlush() {
            if (registered) {
                return false;
            }
            registered = true;
            return true;
        }

        @Override
        public void flushRegistered() {
            registered = false;
            long until = System.nanoTime() + LoopFlusher.SLICE_NANOS + LoopFlusher.SLICE_NANOS / 2;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            log.add(name);
            if (during != null) {
                Runnable now = during;
                during = null;
                now.run();
            }
            done.countDown();
        }
    }
}

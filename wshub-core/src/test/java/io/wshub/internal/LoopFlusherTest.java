package io.wshub.internal;

import io.wshub.WsConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The automatic write window's rule (docs/tuning.md "The write window"). */
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
}

package io.wshub.cluster;

import io.wshub.HistoryRule;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** History rules on a broker without a history engine would keep each node's streams apart: refused. */
class HistoryEngineRequiredTest {

    @Test
    void aClusterWithHistoryRulesButNoHistoryEngineDoesNotStart() {
        MemoryCluster cluster = new MemoryCluster();
        assertThatThrownBy(() -> TestHub.configure(cfg -> cluster.install(cfg).historyEngine(null)
                .history(HistoryRule.tags("room:*", 10, Duration.ofMinutes(1)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("need a history engine");
    }
}

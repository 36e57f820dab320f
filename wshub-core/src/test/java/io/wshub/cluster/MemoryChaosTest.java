package io.wshub.cluster;

import io.wshub.testing.RecoveryChaos;
import io.wshub.testing.TestHub;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chaos run (docs/history.md) on two hubs of one {@link MemoryCluster}. */
class MemoryChaosTest {

    static RecoveryChaos chaos() {
        MemoryCluster cluster = new MemoryCluster();
        return new RecoveryChaos((id, more) -> TestHub.start(cfg -> {
            cluster.install(cfg.nodeId(id));
            more.accept(cfg);
        }), Integer.getInteger("chaos.sends", 1000), 3);
    }

    @Test
    void withHistoryEverySubscriberGetsEveryMessageOnceInOrder() throws InterruptedException {
        RecoveryChaos.Outcome o = chaos().run(true);
        assertThat(o.problems()).isEmpty();
        assertThat(o.reconnects()).as("sockets were cut").isGreaterThan(10);
        List<Long> all = LongStream.rangeClosed(1, o.total()).boxed().toList();
        o.tagSeen().forEach(seen -> assertThat(seen).containsExactlyElementsOf(all));
        o.userSeen().forEach(seen -> assertThat(seen).containsExactlyElementsOf(all));
    }

    @Test
    void withoutHistoryNothingArrivesTwice() throws InterruptedException {
        RecoveryChaos.Outcome o = chaos().run(false);
        assertThat(o.problems()).isEmpty();
        o.tagSeen().forEach(seen -> assertThat(seen).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(o.total()));
    }
}

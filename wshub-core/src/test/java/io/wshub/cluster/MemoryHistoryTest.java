package io.wshub.cluster;

import io.wshub.Target;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The history contract on the in-JVM engine, with a clock the test moves. */
class MemoryHistoryTest extends HistoryContract {
    private final AtomicLong nanos = new AtomicLong();
    private final MemoryStreams streams = new MemoryStreams(nanos::get, () -> false);

    @Override
    protected Member newMember(String nodeId, Broker.Sink sink) {
        MemoryHistory history = new MemoryHistory(streams);
        history.start(nodeId, sink);
        return new Member() {
            @Override public History history() { return history; }
            @Override public void subscribe(Target stream) { /* every member gets every publication */ }
            @Override public void close() { history.close(); }
        };
    }

    @Override
    protected void passTime(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    protected void loseEverything() {
        streams.clear();
    }
}

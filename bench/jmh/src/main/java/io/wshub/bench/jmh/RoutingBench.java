package io.wshub.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.WsHub;
import io.wshub.protocol.RawJson;
import io.wshub.routing.Router;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Route lookup among 50 events and dispatch through 0 or 3 pass-through middleware. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RoutingBench {
    @Param({"0", "3"})
    public int middleware;

    private final Router router = new Router();
    private final StubContext ctx = new StubContext();

    @Setup
    public void setup() {
        for (int i = 0; i < 50; i++) {
            router.on("app/event" + i, c -> c.reply(RawJson.NULL), false);
        }
        router.on("echo", c -> c.reply(c.rawData()), false);
        for (int i = 0; i < middleware; i++) {
            router.use((c, next) -> next.run());
        }
    }

    @Benchmark
    public Router.Route lookup() {
        return router.route("echo");
    }

    @Benchmark
    public void lookupAndDispatch(Blackhole bh) throws Exception {
        router.dispatch(ctx, router.route("echo"));
        bh.consume(ctx.replied);
    }

    /** Just enough Context for a handler that answers with its raw data. */
    static final class StubContext implements Context {
        Object replied;

        @Override public String event() { return "echo"; }
        @Override public String seqno() { return "1"; }
        @Override public JsonNode data() { throw new UnsupportedOperationException(); }
        @Override public RawJson rawData() { return RawJson.NULL; }
        @Override public <T> T bind(Class<T> type) { throw new UnsupportedOperationException(); }
        @Override public void reply(Object data) { replied = data; }
        @Override public void error(int code, String message) { replied = message; }
        @Override public boolean replied() { return replied != null; }
        @Override public Connection connection() { return null; }
        @Override public String userId() { return null; }
        @Override public String requireUser() { throw new UnsupportedOperationException(); }
        @Override public WsHub hub() { return null; }
    }
}

package io.wshub.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wshub.SendResult;
import io.wshub.Target;
import io.wshub.WsConfig;
import io.wshub.WsException;
import io.wshub.WsHub;
import io.wshub.cluster.History;
import io.wshub.cluster.Publication;
import io.wshub.cluster.StreamPosition;
import io.wshub.cluster.StreamSlice;
import io.wshub.protocol.RawJson;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The history routes of the HTTP API (docs/history.md, docs/http-api.md):
 * {@code GET /api/history/{tag|user}/{id}?since=&limit=} and {@code DELETE} of the same, and
 * the answer of a send, which carries the position on targets with history.
 */
final class HistoryApi {
    /** Default page of a history read; a stream keeps at most its rule's size anyway. */
    static final int DEFAULT_LIMIT = 100;

    private HistoryApi() {}

    static List<WsConfig.Route> routes(WsHub hub) {
        return List.of(
                new WsConfig.Route("GET", "/api/history/tag/{id}", call -> read(hub, Target.tag(call.param("id")), call)),
                new WsConfig.Route("GET", "/api/history/user/{id}", call -> read(hub, Target.user(call.param("id")), call)),
                new WsConfig.Route("DELETE", "/api/history/tag/{id}", call -> remove(hub, Target.tag(call.param("id")))),
                new WsConfig.Route("DELETE", "/api/history/user/{id}", call -> remove(hub, Target.user(call.param("id")))));
    }

    /** The answer of {@code POST /api/send/...}: {@code stream}, {@code offset}, {@code epoch} only on targets with history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Sent(int delivered, String stream, Long offset, String epoch) {
        static Sent of(SendResult r) {
            StreamPosition p = r.position();
            return new Sent(r.delivered(), r.stream(), p == null ? null : p.offset(), p == null ? null : p.epoch());
        }
    }

    record Item(long offset, String event, RawJson data) {
        static Item of(Publication p) {
            return new Item(p.offset(), p.event(), p.data());
        }
    }

    /** The answer of a history read: the stream's current position and the kept messages after {@code since}. */
    record Page(String stream, long offset, String epoch, List<Item> list) {}

    static CompletionStage<HttpReply> sent(CompletionStage<SendResult> send) {
        return send.handle(answer(r -> r.stream() == null ? delivered(r.delivered()) : HttpReply.ok(Sent.of(r))));
    }

    /** {@code {"code":0,"data":{"delivered":n}}}, the answer to a send without history, written without a serializer. */
    static HttpReply delivered(int n) {
        return new HttpReply(200, HttpReply.JSON, ("{\"code\":0,\"data\":{\"delivered\":" + n + "}}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static CompletionStage<HttpReply> read(WsHub hub, Target target, HttpCall call) {
        long since = ApiBodies.number(call, "since", 0, 0, Long.MAX_VALUE);
        int limit = (int) ApiBodies.number(call, "limit", DEFAULT_LIMIT, 0, io.wshub.cluster.Retention.MAX_SIZE);
        return hub.history(target, since, limit).handle(answer((StreamSlice s) -> HttpReply.ok(new Page(History.streamName(target),
                s.position().offset(), s.position().epoch(), s.publications().stream().map(Item::of).toList()))));
    }

    private static CompletionStage<HttpReply> remove(WsHub hub, Target target) {
        return hub.removeHistory(target).handle(answer(v -> HttpReply.ok(java.util.Map.of("removed", true))));
    }

    /** Maps a hub's {@link WsException} (404 no history, 503 store down) to the same HTTP status. */
    static <T> java.util.function.BiFunction<T, Throwable, HttpReply> answer(Function<T, HttpReply> ok) {
        return (value, error) -> {
            if (error == null) {
                return ok.apply(value);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof WsException e) {
                throw new HttpException(e.code(), e.getMessage());
            }
            throw new HttpException(503, "history store unavailable: " + cause.getMessage());
        };
    }
}

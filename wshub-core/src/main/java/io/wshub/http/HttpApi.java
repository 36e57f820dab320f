package io.wshub.http;

import io.wshub.ClientInfo;
import io.wshub.ClientQuery;
import io.wshub.FrameType;
import io.wshub.Page;
import io.wshub.SendResult;
import io.wshub.Target;
import io.wshub.WsConfig;
import io.wshub.WsHub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The HTTP API of docs/protocol.md §4: sends, presence lists, kicks and stats for backends that are not
 * written in Java. Every route checks the API key first; anything else under {@code /api}
 * (an unknown path, a wrong method) also needs the key before it learns 404 or 405, so a
 * caller without a key cannot map the API.
 *
 * <p>Routes run on the event loop and only call the hub's asynchronous methods, so none of
 * them blocks: a cluster presence answers later and the reply goes out when it does.
 */
public final class HttpApi {
    /** Methods the catch-all answers (after the key check) with 404 or 405. */
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /** Events one {@code GET /api/events} answers when it names no limit. */
    private static final int EVENTS_PER_CALL = 200;

    private HttpApi() {}

    /** The API's routes, each guarded by {@code apiKeys} (none = every call gets 401). */
    public static List<WsConfig.Route> routes(WsHub hub, List<String> apiKeys) {
        return routes(hub, apiKeys, null);
    }

    /** The same, plus HotGo's send-to-tag endpoint at {@code hotgoSendPath} when not null ({@link HotGoSend}). */
    public static List<WsConfig.Route> routes(WsHub hub, List<String> apiKeys, String hotgoSendPath) {
        ApiKeys keys = new ApiKeys(apiKeys);
        List<WsConfig.Route> routes = new ArrayList<>();
        for (Target.Kind kind : Target.Kind.values()) {
            String path = kind == Target.Kind.ALL ? "/api/send/all" : "/api/send/" + kind.name().toLowerCase() + "/{id}";
            routes.add(new WsConfig.Route("POST", path, call -> send(hub, target(kind, call.param("id")), call)));
        }
        routes.add(new WsConfig.Route("POST", "/api/send/batch", call -> batch(hub, call)));
        routes.add(new WsConfig.Route("GET", "/api/clients", call -> clients(hub, call)));
        routes.add(new WsConfig.Route("GET", "/api/users", call -> listed(hub.users())));
        routes.add(new WsConfig.Route("GET", "/api/tags", call -> listed(hub.tags())));
        routes.add(new WsConfig.Route("POST", "/api/clients/{id}/kick",
                call -> kicked(hub.kickClient(call.param("id"), ApiBodies.reason(call)))));
        routes.add(new WsConfig.Route("POST", "/api/users/{id}/kick",
                call -> kicked(hub.kickUser(call.param("id"), ApiBodies.reason(call)))));
        for (String who : List.of("clients", "users")) {
            java.util.function.Function<String, Target> target = who.equals("clients") ? Target::client : Target::user;
            routes.add(new WsConfig.Route("POST", "/api/" + who + "/{id}/join",
                    call -> joined(hub.join(target.apply(call.param("id")), ApiBodies.tag(call)))));
            routes.add(new WsConfig.Route("POST", "/api/" + who + "/{id}/quit",
                    call -> joined(hub.quit(target.apply(call.param("id")), ApiBodies.tag(call)))));
        }
        routes.add(new WsConfig.Route("GET", "/api/stats", call -> hub.stats().thenApply(HttpReply::ok)));
        routes.add(NodesApi.route(hub));
        routes.add(new WsConfig.Route("GET", "/api/openapi.json", call -> OpenApiDocument.REPLY.done()));
        EventFeed events = EventFeed.install(hub);
        routes.add(new WsConfig.Route("GET", "/api/events", call -> HttpReply.ok(
                events.since(ApiBodies.after(call), ApiBodies.limit(call, EVENTS_PER_CALL, EventFeed.CAPACITY))).done()));
        routes.addAll(HistoryApi.routes(hub));
        if (hotgoSendPath != null) {
            routes.add(new WsConfig.Route("POST", hotgoSendPath, call -> HotGoSend.handle(hub, call)));
        }

        List<WsConfig.Route> secured = new ArrayList<>();
        for (WsConfig.Route r : routes) {
            secured.add(new WsConfig.Route(r.method(), r.path(), guarded(keys, r.handler())));
        }
        HttpRoute fallback = guarded(keys, call -> notServed(routes, call));
        for (String method : METHODS) {
            secured.add(new WsConfig.Route(method, "/api/*", fallback));
        }
        return List.copyOf(secured);
    }

    private static HttpRoute guarded(ApiKeys keys, HttpRoute route) {
        return call -> {
            keys.check(call);
            return route.handle(call);
        };
    }

    private static Target target(Target.Kind kind, String id) {
        return switch (kind) {
            case CLIENT -> Target.client(id);
            case USER -> Target.user(id);
            case TAG -> Target.tag(id);
            case ALL -> Target.ALL;
        };
    }

    private static CompletionStage<HttpReply> send(WsHub hub, Target target, HttpCall call) {
        FrameType raw = RawBodies.frameType(call);
        if (raw != null) {
            byte[] payload = raw == FrameType.TEXT ? RawBodies.text(call) : call.body();
            return HistoryApi.sent(hub.sendRaw(target, raw, payload).thenApply(SendResult::live));
        }
        // The streaming parse; the answer (HistoryApi.sent) is hand-written unless the target has history.
        SendBodies.Send push = SendBodies.push(call, target);
        return HistoryApi.sent(hub.publish(target, push.event(), push.data()));
    }

    /**
     * Many sends in one request, in order; all are checked before any goes out. Each goes through
     * {@link WsHub#publish}, so targets with history get their positions (and a store failure fails
     * the batch with the same status as a single send); the answer keeps only the counts.
     */
    private static CompletionStage<HttpReply> batch(WsHub hub, HttpCall call) {
        List<SendBodies.Send> sends = SendBodies.batch(call);
        List<CompletableFuture<SendResult>> results = new ArrayList<>(sends.size());
        for (SendBodies.Send s : sends) {
            results.add(hub.publish(s.target(), s.event(), s.data()).toCompletableFuture());
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).handle(HistoryApi.answer((Void v) -> {
            List<Integer> delivered = results.stream().map(r -> r.join().delivered()).toList();
            return HttpReply.ok(new BatchDelivered(delivered, delivered.stream().mapToInt(Integer::intValue).sum()));
        }));
    }

    private static CompletionStage<HttpReply> kicked(CompletionStage<Integer> kick) {
        return kick.thenApply(n -> HttpReply.ok(new Kicked(n)));
    }

    private static CompletionStage<HttpReply> joined(CompletionStage<Integer> join) {
        return join.thenApply(n -> HttpReply.ok(new Joined(n)));
    }

    private static <T> CompletionStage<HttpReply> listed(CompletionStage<List<T>> list) {
        return list.thenApply(l -> HttpReply.ok(new Listed<>(l, l.size())));
    }

    private static CompletionStage<HttpReply> clients(WsHub hub, HttpCall call) {
        ClientQuery query = ApiBodies.clientQuery(call);
        return hub.clients(query).thenApply(page -> HttpReply.ok(ClientPage.of(page)));
    }

    /** Answers a request that no API route serves: 405 when the path exists with another method. */
    private static CompletionStage<HttpReply> notServed(List<WsConfig.Route> routes, HttpCall call) {
        List<String> allowed = routes.stream().filter(r -> samePath(r.path(), call.path())).map(WsConfig.Route::method).toList();
        if (allowed.isEmpty()) {
            throw new HttpException(404, "not found: " + call.path());
        }
        throw new HttpException(405, call.method() + " not allowed on " + call.path() + "; use " + String.join(", ", allowed));
    }

    /** Whether {@code path} has the shape of {@code pattern}, whose {@code {name}} segments match any one segment. */
    static boolean samePath(String pattern, String path) {
        Function<String, String[]> split = p -> p.replaceAll("^/+|/+$", "").split("/+");
        String[] want = split.apply(pattern);
        String[] got = split.apply(path);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!want[i].startsWith("{") && !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    /** An item of {@code GET /api/clients}: times in Unix seconds as in the wire protocol, tags sorted. */
    record ClientJson(String id, String userId, String ip, String userAgent, List<String> tags,
                      long connectedAt, long lastSeenAt, String node) {
        static ClientJson of(ClientInfo c) {
            return new ClientJson(c.id(), c.userId(), c.ip(), c.userAgent(), c.tags().stream().sorted().toList(),
                    c.connectedAt().getEpochSecond(), c.lastSeenAt().getEpochSecond(), c.node());
        }
    }

    /** The answer of {@code GET /api/clients}. */
    record ClientPage(List<ClientJson> list, long total, int page, int perPage) {
        static ClientPage of(Page<ClientInfo> page) {
            return new ClientPage(page.list().stream().map(ClientJson::of).toList(), page.total(), page.page(), page.perPage());
        }
    }

    /** The answer of {@code GET /api/users} and {@code /api/tags}. */
    record Listed<T>(List<T> list, int total) {}

    record BatchDelivered(List<Integer> delivered, int total) {}

    record Kicked(int kicked) {}

    /** The answer of a server-side join or quit: connections reached, on every node. */
    record Joined(int connections) {}
}

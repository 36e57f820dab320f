package io.wshub.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.ClientQuery;
import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.WsException;
import io.wshub.WsHub;
import io.wshub.protocol.Protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of the chat demo served at {@code /demo}: rooms are tags, users are JWT
 * subjects. Every event demands an authenticated user (401 for anonymous connections).
 *
 * <ul>
 *   <li>{@code chat/room} {@code {"room","text"}}: pushes {@code chat/message} to the room's
 *       tag; the sender must have joined the room (403 otherwise). Replies {@code {"delivered": n}}.</li>
 *   <li>{@code chat/private} {@code {"to","text"}}: pushes {@code chat/message} with
 *       {@code private: true} to every device of {@code to} and of the sender.
 *       Replies {@code {"delivered": n}} (n counts the recipient's devices; 0 = offline).</li>
 *   <li>{@code chat/online}: replies {@code [{"userId","connections"}]}.</li>
 *   <li>Pushes {@code chat/presence} {@code {"userId","online","connections"}} to tag
 *       {@value #PRESENCE_TAG} whenever a user's connection opens ({@code online: true}) or closes;
 *       {@code connections} is the user's connection count after the change (0 = gone), so pages
 *       update their list from the push instead of asking {@code chat/online} each time.</li>
 * </ul>
 * Missing room/to/text answers 400, text over {@value #MAX_TEXT} characters 413. In a cluster
 * {@code delivered} counts this node's connections only, as {@link WsHub#sendToTag} does.
 */
public final class DemoChat {
    /** Long enough for a paragraph, short enough that a flood of messages stays cheap. */
    static final int MAX_TEXT = 2000;
    /** Room and user names are short identifiers shown in the page's side bar. */
    static final int MAX_NAME = 64;
    /** Demo pages join this tag to hear who comes and goes. */
    public static final String PRESENCE_TAG = "chat/presence";
    static final String MESSAGE_EVENT = "chat/message";

    private DemoChat() {}

    public static void install(WsHub hub) {
        hub.on("chat/room", DemoChat::room);
        hub.on("chat/private", DemoChat::privateMessage);
        hub.on("chat/online", DemoChat::online);
        hub.onConnect(conn -> presence(hub, conn, true));
        hub.onClose((conn, status) -> presence(hub, conn, false));
    }

    private static void room(Context ctx) {
        String from = ctx.requireUser();
        String room = name(ctx.data(), "room");
        String text = text(ctx.data());
        if (!ctx.connection().tags().contains(room)) {
            throw new WsException(Protocol.FORBIDDEN, "join room " + room + " first");
        }
        int delivered = ctx.hub().sendToTag(room, MESSAGE_EVENT, message(from, room, null, text));
        ctx.reply(Map.of("delivered", delivered));
    }

    private static void privateMessage(Context ctx) {
        String from = ctx.requireUser();
        String to = name(ctx.data(), "to");
        String text = text(ctx.data());
        Map<String, Object> msg = message(from, null, to, text);
        int delivered = ctx.hub().sendToUser(to, MESSAGE_EVENT, msg);
        if (!to.equals(from)) {
            // Like a room message, the sender's devices (this tab included) see it too.
            ctx.hub().sendToUser(from, MESSAGE_EVENT, msg);
        }
        ctx.reply(Map.of("delivered", delivered));
    }

    private static void online(Context ctx) {
        ctx.requireUser();
        ctx.hub().users().whenComplete((users, err) -> {
            if (err != null) {
                ctx.error(Protocol.INTERNAL_ERROR, "presence unavailable");
                return;
            }
            List<Map<String, Object>> list = users.stream()
                    .map(u -> Map.<String, Object>of("userId", u.userId(), "connections", u.connections()))
                    .toList();
            ctx.reply(list);
        });
    }

    private static void presence(WsHub hub, Connection conn, boolean online) {
        String userId = conn.userId();
        if (userId == null) return;
        // Presence already counts this open/close when the listeners run.
        hub.clients(new ClientQuery(userId, null, null, 1, 1)).whenComplete((page, err) -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("userId", userId);
            data.put("online", online);
            if (err == null) data.put("connections", page.total()); // else pages count by online
            try {
                hub.sendToTag(PRESENCE_TAG, "chat/presence", data);
            } catch (RuntimeException e) {
                // the hub is closing: nobody is left to tell
            }
        });
    }

    private static Map<String, Object> message(String from, String room, String to, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        if (room != null) m.put("room", room);
        if (to != null) m.put("to", to);
        m.put("text", text);
        m.put("private", room == null);
        m.put("at", System.currentTimeMillis());
        return m;
    }

    private static String name(JsonNode data, String field) {
        JsonNode v = data.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new WsException(Protocol.BAD_REQUEST, field + " is required");
        }
        String s = v.asText().trim();
        if (s.length() > MAX_NAME) {
            throw new WsException(Protocol.TOO_LARGE, field + " is longer than " + MAX_NAME + " characters");
        }
        return s;
    }

    private static String text(JsonNode data) {
        JsonNode v = data.path("text");
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new WsException(Protocol.BAD_REQUEST, "text is required");
        }
        String s = v.asText();
        if (s.length() > MAX_TEXT) {
            throw new WsException(Protocol.TOO_LARGE, "text is longer than " + MAX_TEXT + " characters");
        }
        return s;
    }
}

package io.wshub.examples.chat;

import io.wshub.Connection;
import io.wshub.Context;
import io.wshub.WsException;
import io.wshub.spring.WsHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket side. Clients join a room with the built-in {@code join} event (tag
 * {@code room:<name>}), then send {@code chat/send}; everyone in the room gets {@code chat/message}.
 */
@Component
public class ChatHandlers {
    /** Longer lines are refused: a chat line, not a document. */
    static final int MAX_TEXT = 2000;

    private final ChatStore store;

    public ChatHandlers(ChatStore store) {
        this.store = store;
    }

    public record Send(String room, String text) {}

    @WsHandler("chat/send")
    public Map<String, Object> send(Send send, Context ctx) {
        if (send.room() == null || send.room().isBlank() || send.text() == null || send.text().isBlank()) {
            throw new WsException(400, "room and text are required");
        }
        if (send.text().length() > MAX_TEXT) {
            throw new WsException(413, "text over " + MAX_TEXT + " characters");
        }
        if (!ctx.connection().tags().contains(tag(send.room()))) {
            throw new WsException(403, "join room " + send.room() + " first");
        }
        ChatMessage message = new ChatMessage(send.room(), ctx.requireUser(), send.text(), Instant.now().getEpochSecond());
        store.add(message);
        int delivered = ctx.hub().sendToTag(tag(send.room()), "chat/message", message);
        return Map.of("delivered", delivered);
    }

    /** Blocking: a real store is a database. */
    @WsHandler(value = "chat/history", blocking = true)
    public List<ChatMessage> history(Send query, Connection conn) {
        if (query.room() == null || !conn.tags().contains(tag(query.room()))) {
            throw new WsException(403, "join the room first");
        }
        return store.recent(query.room());
    }

    static String tag(String room) {
        return "room:" + room;
    }
}

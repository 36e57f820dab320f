package io.wshub.examples.chat;

import org.springframework.stereotype.Component;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last messages of every room, in memory. A real service keeps them in a database, which
 * is why {@link ChatHandlers#history} is a blocking handler. Thread-safe (one lock).
 */
@Component
public class ChatStore {
    /** 50: a screenful of scrollback for someone who just joined. */
    static final int KEEP = 50;

    private final Map<String, Deque<ChatMessage>> rooms = new HashMap<>();

    public synchronized void add(ChatMessage message) {
        Deque<ChatMessage> room = rooms.computeIfAbsent(message.room(), r -> new ArrayDeque<>());
        room.addLast(message);
        if (room.size() > KEEP) {
            room.removeFirst();
        }
    }

    public synchronized List<ChatMessage> recent(String room) {
        return List.copyOf(rooms.getOrDefault(room, new ArrayDeque<>()));
    }
}

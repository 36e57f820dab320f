package io.wshub.bench.peer.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The bench protocol on Spring's {@code TextWebSocketHandler}. Sessions are wrapped in
 * {@link ConcurrentWebSocketSessionDecorator} (Spring's answer to concurrent sends; bounded at
 * 1 MiB like wshub). A broadcast builds one {@link TextMessage} and sends it to every member.
 */
final class BenchHandler extends TextWebSocketHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SEND_TIME_LIMIT_MILLIS = 10_000;
    private static final int BUFFER_LIMIT_BYTES = 1 << 20;

    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketSession>> rooms = new ConcurrentHashMap<>();

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        sessions.put(session.getId(),
                new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS, BUFFER_LIMIT_BYTES));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        WebSocketSession decorated = sessions.remove(session.getId());
        if (decorated != null) {
            rooms.values().forEach(members -> members.remove(decorated));
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws IOException {
        WebSocketSession session = sessions.get(raw.getId());
        if (message.getPayloadLength() == 0) {
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(message.getPayload());
        } catch (IOException e) {
            session.sendMessage(new TextMessage(encode("error", 400, null, null)));
            return;
        }
        String event = msg.path("event").asText();
        JsonNode data = msg.get("data");
        String seqno = msg.hasNonNull("seqno") ? msg.get("seqno").asText() : null;
        switch (event) {
            case "echo":
                session.sendMessage(new TextMessage(encode(event, 0, data, seqno)));
                break;
            case "ping":
                session.sendMessage(new TextMessage(encode(event, 0, null, seqno)));
                break;
            case "join":
                String tag = data.path("id").asText();
                rooms.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(session);
                session.sendMessage(new TextMessage(encode(event, 0, JSON.createArrayNode().add(tag), seqno)));
                break;
            case "broadcast":
                int delivered = broadcast(data.path("tag").asText(), data.get("payload"));
                ObjectNode answer = JSON.createObjectNode().put("delivered", delivered);
                session.sendMessage(new TextMessage(encode(event, 0, answer, seqno)));
                break;
            default:
                session.sendMessage(new TextMessage(encode(event, 404, null, seqno)));
        }
    }

    private int broadcast(String tag, JsonNode payload) throws IOException {
        Set<WebSocketSession> members = rooms.get(tag);
        if (members == null) {
            return 0;
        }
        TextMessage once = new TextMessage(encode("broadcast", 0, payload, null));
        int delivered = 0;
        for (WebSocketSession member : members) {
            try {
                member.sendMessage(once);
                delivered++;
            } catch (IOException | IllegalStateException e) {
                // A closed or overflowing member; the others still get the message.
            }
        }
        return delivered;
    }

    private static byte[] encode(String event, int code, JsonNode data, String seqno) throws IOException {
        ObjectNode out = JSON.createObjectNode().put("event", event).put("code", code);
        if (data != null) {
            out.set("data", data);
        }
        out.put("timestamp", System.currentTimeMillis() / 1000);
        if (seqno != null) {
            out.put("seqno", seqno);
        }
        return JSON.writeValueAsBytes(out);
    }
}

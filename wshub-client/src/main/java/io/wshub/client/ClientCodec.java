package io.wshub.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;

/**
 * The wire formats of docs/protocol.md §1; pick the one the server runs ({@code --codec}).
 * Stateless and thread-safe.
 */
public enum ClientCodec {
    /** The default, HotGo's shape: {@code {"event","data","seqno"}} out, {@code {"event","code","errorMsg","data","timestamp","seqno"}} in. */
    JSON("event", "code", "errorMsg"),
    /** go-eyas wsrv: {@code {"cmd","seqno","data"}} out, {@code {"cmd","seqno","status","msg","data"}} in. */
    WSRV("cmd", "status", "msg");

    private final String eventField;
    private final String codeField;
    private final String messageField;

    ClientCodec(String eventField, String codeField, String messageField) {
        this.eventField = eventField;
        this.codeField = codeField;
        this.messageField = messageField;
    }

    /** One frame's text; {@code data} (any Jackson value, null = left out) and {@code seqno} (null = left out). */
    public String encode(ObjectMapper mapper, String event, Object data, String seqno) throws IOException {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(eventField, event);
            if (seqno != null) {
                g.writeStringField("seqno", seqno);
            }
            if (data != null) {
                g.writeFieldName("data");
                mapper.writeValue(g, data);
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    /**
     * The message in {@code frame}.
     *
     * @throws IllegalArgumentException when the frame is not an object with an event name
     */
    public ServerMessage decode(JsonNode frame) {
        JsonNode event = frame.get(eventField);
        if (!frame.isObject() || event == null || !event.isTextual()) {
            throw new IllegalArgumentException("not a wshub " + name().toLowerCase() + " message");
        }
        JsonNode seqno = frame.get("seqno");
        JsonNode message = frame.get(messageField);
        int code = frame.path(codeField).asInt(0);
        return new ServerMessage(event.textValue(), code,
                message == null || message.isNull() || code == 0 ? null : message.asText(),
                frame.get("data"), seqno == null || seqno.isNull() ? null : seqno.asText(),
                frame.path("timestamp").asLong(0));
    }
}

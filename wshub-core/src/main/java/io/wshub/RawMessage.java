package io.wshub;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One frame as a client sent it, with the raw codec ({@code --codec raw}): no envelope, no
 * parsing, the payload exactly as it arrived (a text frame's payload is valid UTF-8; the server
 * closes with 1007 otherwise). Immutable; the array is a copy the application may keep.
 *
 * <p>{@link #describe()} is the form the message takes outside the JVM (an event proxy
 * forwards it as a JSON body, the cluster carries sends the same way): {@code clientId},
 * {@code userId}, {@code frame} ({@code text}/{@code binary}) and the payload as {@code text}
 * (text frames) or {@code base64} (binary frames).
 *
 * @param connection the sender
 * @param type       the frame type it came in
 * @param payload    its bytes, possibly empty
 */
public record RawMessage(Connection connection, FrameType type, byte[] payload) {

    /** The payload as text (UTF-8), whatever the frame type. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public boolean isText() {
        return type == FrameType.TEXT;
    }

    /** The JSON-ready form described above, for forwarding to an HTTP backend. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientId", connection.id());
        out.put("userId", connection.userId());
        out.put("frame", type.wireName());
        if (isText()) {
            out.put("text", text());
        } else {
            out.put("base64", Base64.getEncoder().encodeToString(payload));
        }
        return out;
    }

    /** Answers on the same connection in the same frame type. */
    public boolean reply(byte[] bytes) {
        return connection.sendRaw(type, bytes);
    }
}

package io.wshub.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An HTTP answer. Helpers build the docs/protocol.md §4 envelopes. */
public record HttpReply(int status, String contentType, byte[] body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    public static final String JSON = "application/json; charset=utf-8";

    /** {@code {"code":0,"data":data}} with 200. */
    public static HttpReply ok(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("data", data);
        return json(200, body);
    }

    /** {@code {"code":status,"message":message}}. */
    public static HttpReply error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("message", message);
        return json(status, body);
    }

    public static HttpReply json(int status, Object value) {
        try {
            return new HttpReply(status, JSON, MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable: " + e.getOriginalMessage(), e);
        }
    }

    public static HttpReply text(int status, String contentType, String text) {
        return new HttpReply(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** This reply as an already-completed stage, for routes that answer at once. */
    public CompletionStage<HttpReply> done() {
        return CompletableFuture.completedFuture(this);
    }
}

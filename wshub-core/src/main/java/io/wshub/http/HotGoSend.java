package io.wshub.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.Target;
import io.wshub.WsHub;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * HotGo's send-to-tag endpoint, so a HotGo backend keeps its call (docs/migrating-from-hotgo.md):
 * body {@code {"tag": "...", "response": {"event": "...", "data": ..., "code": 0, ...}}}. As HotGo
 * does, the tag's connections get event {@code response.event} whose data is the whole
 * {@code response} object in HotGo's field set ({@code event}, {@code data} when present,
 * {@code code}, {@code errorMsg} when set, {@code timestamp}; missing numbers are 0). Answers
 * {@code {"code":0,"data":{"delivered":n}}} like the other sends.
 */
final class HotGoSend {
    private HotGoSend() {}

    static CompletionStage<HttpReply> handle(WsHub hub, HttpCall call) {
        JsonNode body = call.json();
        if (!body.isObject()) {
            throw new HttpException(400, "request body must be a JSON object {\"tag\",\"response\":{\"event\",\"data\"}}");
        }
        JsonNode tag = body.path("tag");
        if (!tag.isTextual() || tag.textValue().isBlank()) {
            throw new HttpException(400, "\"tag\" must be a non-empty string");
        }
        JsonNode response = body.path("response");
        if (!response.isObject()) {
            throw new HttpException(400, "\"response\" must be an object {\"event\",\"data\"}");
        }
        JsonNode event = response.path("event");
        if (!event.isTextual() || event.textValue().isBlank()) {
            throw new HttpException(400, "\"response.event\" must be a non-empty string");
        }
        return HistoryApi.sent(hub.publish(Target.tag(tag.textValue()), event.textValue(), hotgoResponse(response)));
    }

    /** {@code response} re-marshalled the way HotGo's WResponse struct writes it. */
    private static Map<String, Object> hotgoResponse(JsonNode response) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", response.path("event").textValue());
        JsonNode data = response.path("data");
        if (!data.isMissingNode() && !data.isNull()) {
            out.put("data", data);
        }
        out.put("code", integer(response, "code"));
        JsonNode errorMsg = response.path("errorMsg");
        if (errorMsg.isTextual() && !errorMsg.textValue().isEmpty()) {
            out.put("errorMsg", errorMsg.textValue());
        }
        out.put("timestamp", integer(response, "timestamp"));
        return out;
    }

    private static long integer(JsonNode response, String field) {
        JsonNode value = response.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new HttpException(400, "\"response." + field + "\" must be a whole number");
        }
        return value.longValue();
    }
}

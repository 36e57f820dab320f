package io.wshub.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wshub.protocol.RawJson;

import java.io.IOException;

/** Conversions between handler values and {@link RawJson}, for data that crosses nodes. */
final class RawJsons {
    private RawJsons() {}

    static RawJson of(Object data) {
        if (data == null) {
            return RawJson.NULL;
        }
        if (data instanceof RawJson raw) {
            return raw;
        }
        try {
            return RawJson.wrap(RealContext.MAPPER.writeValueAsBytes(data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data is not serializable to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The text of a JSON string value, or the JSON itself for other values. */
    static String text(RawJson raw) {
        try {
            JsonNode node = RealContext.MAPPER.readTree(raw.bytes());
            return node.isTextual() ? node.textValue() : node.toString();
        } catch (IOException e) {
            return raw.toString();
        }
    }
}

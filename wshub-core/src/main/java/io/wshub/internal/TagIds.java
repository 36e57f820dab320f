package io.wshub.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tag a {@code join}/{@code quit} names. A string as it is; a number as its decimal text,
 * as HotGo converts it ({@code {"id": 42}} joins tag {@code "42"}, {@code 1e3} joins {@code "1000"}).
 */
final class TagIds {
    private TagIds() {}

    /** The tag, or null when {@code id} is missing, empty or neither a string nor a number. */
    static String of(JsonNode id) {
        if (id.isTextual()) {
            return id.textValue().isEmpty() ? null : id.textValue();
        }
        if (id.isNumber()) {
            return id.isIntegralNumber() ? id.bigIntegerValue().toString() : id.decimalValue().stripTrailingZeros().toPlainString();
        }
        return null;
    }
}

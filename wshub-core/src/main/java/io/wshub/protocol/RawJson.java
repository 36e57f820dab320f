package io.wshub.protocol;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON value kept as the UTF-8 bytes it arrived in. Decoding slices the {@code data}
 * member out of the frame instead of building a tree, so a handler that forwards or echoes
 * data never parses it, and encoding copies the bytes straight into the outbound frame.
 *
 * <p>Immutable; the array is never written after construction.
 */
public final class RawJson {
    public static final RawJson NULL = of("null");

    private final byte[] bytes;

    private RawJson(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps bytes that the caller guarantees hold exactly one valid JSON value. */
    public static RawJson wrap(byte[] utf8Json) {
        return new RawJson(utf8Json);
    }

    /**
     * Copies the value at {@code parser}'s current token out of {@code source}, the bytes the
     * parser reads, and leaves the parser on the value's last token: data is sliced, never
     * parsed into a tree.
     */
    public static RawJson slice(JsonParser parser, byte[] source) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return NULL;
        }
        if (token.isStructStart()) {
            parser.skipChildren();
        } else {
            parser.finishToken(); // strings are parsed lazily; finish so the location is past the value
        }
        int end = (int) parser.currentLocation().getByteOffset();
        return new RawJson(Arrays.copyOfRange(source, start, end));
    }

    public static RawJson of(String json) {
        return new RawJson(json.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] bytes() {
        return bytes;
    }

    public boolean isNull() {
        return bytes.length == 4 && bytes[0] == 'n';
    }

    /** Lets Jackson embed this value as it is when it sits inside other data. */
    @JsonValue
    @JsonRawValue
    public String json() {
        return toString();
    }

    @Override public String toString() { return new String(bytes, StandardCharsets.UTF_8); }

    @Override public boolean equals(Object o) {
        return o instanceof RawJson r && Arrays.equals(bytes, r.bytes);
    }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }
}

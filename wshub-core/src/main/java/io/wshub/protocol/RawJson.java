package io.wshub.protocol;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;

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

package io.wshub.http;

import io.wshub.FrameType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Send bodies that are not JSON (docs/http-api.md): {@code text/plain} goes out as one text
 * frame, {@code application/octet-stream} as one binary frame, both exactly as posted.
 */
final class RawBodies {
    private RawBodies() {}

    /** The frame type a send's Content-Type asks for, or null for a JSON {@code {"event","data"}} body. */
    static FrameType frameType(HttpCall call) {
        String type = call.header("Content-Type");
        if (type == null) {
            return null;
        }
        String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (mime) {
            case "text/plain" -> FrameType.TEXT;
            case "application/octet-stream" -> FrameType.BINARY;
            default -> null;
        };
    }

    /** The body of a text send, which must be UTF-8 (a text frame may hold nothing else). */
    static byte[] text(HttpCall call) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(call.body()));
        } catch (CharacterCodingException e) {
            throw new HttpException(400, "a text/plain body must be UTF-8; send bytes as application/octet-stream");
        }
        return call.body();
    }
}

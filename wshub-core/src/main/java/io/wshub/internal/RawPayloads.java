package io.wshub.internal;

import io.wshub.FrameType;
import io.wshub.protocol.RawJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Raw frames as the cluster carries them (docs/cluster.md): the data of a RAW envelope is one
 * JSON string, a text frame's text or a binary frame's bytes in base64, so every broker that
 * carries JSON data carries raw frames unchanged.
 */
final class RawPayloads {
    private RawPayloads() {}

    static RawJson encode(FrameType type, byte[] payload) {
        String value = type == FrameType.TEXT ? new String(payload, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(payload);
        return RawJsons.of(value);
    }

    static byte[] decode(FrameType type, RawJson data) {
        String value;
        try {
            value = RealContext.MAPPER.readTree(data.bytes()).textValue();
        } catch (IOException e) {
            throw new IllegalArgumentException("raw envelope data is not a JSON string", e);
        }
        if (value == null) {
            throw new IllegalArgumentException("raw envelope data is not a JSON string");
        }
        return type == FrameType.TEXT ? value.getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(value);
    }
}

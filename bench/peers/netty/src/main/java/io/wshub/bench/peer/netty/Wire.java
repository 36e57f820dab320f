package io.wshub.bench.peer.netty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The json codec done the cheapest way Jackson allows: a streaming parse that slices values out
 * as raw bytes (no tree), and replies written as bytes around those slices. This is the ceiling
 * wshub's codec is measured against.
 */
final class Wire {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] EVENT = ascii("{\"event\":");
    private static final byte[] CODE = ascii(",\"code\":");
    private static final byte[] DATA = ascii(",\"data\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] SEQNO = ascii(",\"seqno\":");

    /** A decoded request; {@code data} is the raw JSON of the data field, or null. */
    record Request(String event, String seqno, byte[] data) {
    }

    private Wire() {
    }

    static Request decode(byte[] bytes) throws IOException {
        String event = null;
        String seqno = null;
        byte[] data = null;
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("event")) {
                    event = p.getText();
                } else if (field.equals("seqno")) {
                    seqno = value == JsonToken.VALUE_NULL ? null : p.getText();
                } else if (field.equals("data")) {
                    data = slice(p, bytes);
                } else {
                    p.skipChildren();
                }
            }
        }
        if (event == null) {
            throw new IOException("missing event");
        }
        return new Request(event, seqno, data);
    }

    /** The string field {@code name} and the raw value of {@code rawName} in a JSON object. */
    static String[] fields(byte[] object, String name, String rawName, byte[][] raw) throws IOException {
        String[] out = new String[1];
        try (JsonParser p = FACTORY.createParser(object)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals(name)) {
                    out[0] = p.getText();
                } else if (field.equals(rawName)) {
                    raw[0] = slice(p, object);
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    private static byte[] slice(JsonParser p, byte[] bytes) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        byte[] out = new byte[end - start];
        System.arraycopy(bytes, start, out, 0, out.length);
        return out;
    }

    /** {@code {"event":..,"code":..,"data":<raw>,"timestamp":..,"seqno":..}} into a pooled buffer. */
    static ByteBuf encode(ByteBufAllocator alloc, String event, int code, byte[] data, String seqno) {
        ByteBuf out = alloc.buffer(64 + (data == null ? 0 : data.length));
        out.writeBytes(EVENT);
        quoted(out, event);
        out.writeBytes(CODE).writeCharSequence(Integer.toString(code), StandardCharsets.US_ASCII);
        if (data != null) {
            out.writeBytes(DATA).writeBytes(data);
        }
        out.writeBytes(TIMESTAMP)
                .writeCharSequence(Long.toString(System.currentTimeMillis() / 1000), StandardCharsets.US_ASCII);
        if (seqno != null) {
            out.writeBytes(SEQNO);
            quoted(out, seqno);
        }
        return out.writeByte('}');
    }

    private static void quoted(ByteBuf out, String text) {
        out.writeByte('"').writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(text)).writeByte('"');
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

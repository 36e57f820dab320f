package io.wshub.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;

/**
 * The shared machinery of the two JSON codecs: a streaming decoder that reads the request
 * fields and slices {@code data} out as {@link RawJson} without building a tree, and an
 * encoder that writes straight into a pooled buffer ({@link JsonOut}). Subclasses only name fields.
 */
abstract class JsonWireCodec implements Codec {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final String eventField;

    JsonWireCodec(String eventField) {
        this.eventField = eventField;
    }

    @Override
    public Inbound decode(ByteBuf frame) throws DecodeException {
        byte[] bytes = ByteBufUtil.getBytes(frame);
        String event = null;
        String seqno = null;
        RawJson data = RawJson.NULL;
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException("message must be a JSON object", null, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(eventField)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new DecodeException("'" + eventField + "' must be a string", null, seqno);
                    }
                    event = p.getText();
                } else if (field.equals("seqno")) {
                    seqno = value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getText() : null;
                } else if (field.equals("data")) {
                    data = RawJson.slice(p, bytes);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new DecodeException("malformed JSON", event, seqno);
            }
        } catch (IOException e) { // Jackson's parse errors; the input is in memory
            throw new DecodeException("malformed JSON", event, seqno);
        }
        if (event == null || event.isEmpty()) {
            throw new DecodeException("missing '" + eventField + "'", null, seqno);
        }
        return new Inbound(event, seqno, data);
    }

    @Override
    public void encode(Outbound message, ByteBuf out) {
        out.writeByte('{');
        writeFields(out, message);
        out.writeByte('}');
    }

    /** Writes the members of one message, in wire order, comma-separated. */
    abstract void writeFields(ByteBuf out, Outbound message);

    /** The bytes of {@code ,"name":}. */
    static byte[] comma(String name) {
        byte[] field = JsonOut.name(name);
        byte[] withComma = new byte[field.length + 1];
        withComma[0] = ',';
        System.arraycopy(field, 0, withComma, 1, field.length);
        return withComma;
    }

    static boolean hasData(Object data) {
        return data != null && !(data instanceof RawJson raw && raw.isNull());
    }
}

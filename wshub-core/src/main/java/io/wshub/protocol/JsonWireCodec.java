package io.wshub.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.io.IOException;
import java.util.Arrays;

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
                    data = slice(p, bytes);
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

    /** Copies the bytes of the value at the parser's current token. */
    private static RawJson slice(JsonParser p, byte[] bytes) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return RawJson.NULL;
        }
        if (token.isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken(); // strings are parsed lazily; finish so the location is past the value
        }
        int end = (int) p.currentLocation().getByteOffset();
        return RawJson.wrap(Arrays.copyOfRange(bytes, start, end));
    }

    @Override
    public void encode(Outbound message, ByteBuf out) {
        out.writeByte('{');
        writeFields(out, message);
        if (message.mark() != null) {
            writeMark(out, message.mark());
        }
        out.writeByte('}');
    }

    private static final byte[] STREAM = comma("stream");
    private static final byte[] OFFSET = comma("offset");
    private static final byte[] EPOCH = comma("epoch");
    private static final byte[] RECOVERED = comma("recovered");

    /** The same extra members in both codecs (see {@link StreamMark}). */
    private static void writeMark(ByteBuf out, StreamMark mark) {
        out.writeBytes(STREAM);
        JsonOut.string(out, mark.stream());
        out.writeBytes(OFFSET);
        JsonOut.number(out, mark.offset());
        out.writeBytes(EPOCH);
        JsonOut.string(out, mark.epoch());
        if (mark.recovered() != null) {
            out.writeBytes(RECOVERED);
            out.writeCharSequence(mark.recovered() ? "true" : "false", java.nio.charset.StandardCharsets.US_ASCII);
        }
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

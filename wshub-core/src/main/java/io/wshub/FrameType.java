package io.wshub;

/**
 * The two WebSocket data frame types (RFC 6455 §5.6). wsrv answers a request in the frame type
 * it came in and pushes in a configured one ({@link WsConfig#pushFrames}); the raw codec hands
 * both to the application unchanged ({@link RawMessage}).
 */
public enum FrameType {
    /** Opcode 1: the payload is UTF-8 text (the server rejects invalid UTF-8 with close 1007). */
    TEXT(1),
    /** Opcode 2: the payload is any bytes. */
    BINARY(2);

    private final int opcode;

    FrameType(int opcode) {
        this.opcode = opcode;
    }

    /** The frame's opcode on the wire. */
    public int opcode() {
        return opcode;
    }

    /** {@code text} or {@code binary}, as config and the cluster envelope name it. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type named {@code text} or {@code binary} (any case). */
    public static FrameType named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> TEXT;
            case "binary" -> BINARY;
            default -> throw new IllegalArgumentException("unknown frame type '" + name + "' (text or binary)");
        };
    }
}

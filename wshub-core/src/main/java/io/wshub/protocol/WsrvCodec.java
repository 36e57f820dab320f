package io.wshub.protocol;

import io.netty.buffer.ByteBuf;
import io.wshub.FrameType;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The go-eyas wsrv codec: {@code {"cmd","seqno","data"}} in, {@code {"cmd","seqno","status",
 * "msg","data"}} out, all five fields on every reply ({@code data} is {@code {}} when there is
 * nothing). As wsrv does: pushes without a seqno get a random 8-character one and go out in
 * binary frames; requests may come in text or binary frames; every request is answered once,
 * with wsrv's defaults when the handler did not answer; silence for 30 s ends a connection.
 * docs/protocol.md §1 lists what still differs.
 */
public final class WsrvCodec extends JsonWireCodec {
    public static final WsrvCodec INSTANCE = new WsrvCodec();
    /** wsrv's status of a cmd nobody handles (or whose middleware stopped it): its initial reply. */
    public static final int NOT_IMPLEMENTED = -1;
    /** wsrv's status of a handled cmd whose handlers did not answer. */
    public static final int EMPTY_IMPLEMENT = 1;
    /** wsrv closes a connection that sent nothing, not even a heartbeat, for 30 s. */
    private static final Duration WSRV_IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] CMD = JsonOut.name("cmd");
    private static final byte[] SEQNO = comma("seqno");
    private static final byte[] STATUS = comma("status");
    private static final byte[] MSG = comma("msg");
    private static final byte[] DATA = comma("data");
    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private WsrvCodec() {
        super("cmd");
    }

    @Override
    public String name() {
        return "wsrv";
    }

    @Override public boolean acceptsBinary() { return true; }
    @Override public FrameType pushFrames() { return FrameType.BINARY; }
    @Override public Duration idleTimeout() { return WSRV_IDLE_TIMEOUT; }
    @Override public boolean oneReplyPerRequest() { return true; }

    /** wsrv's replies when no handler answered: -1 "not implement" for an unknown cmd, 1 "empty implement" for a known one. */
    @Override
    public Outbound unanswered(Inbound request, boolean routed, boolean passed) {
        return routed
                ? Outbound.answer(request, EMPTY_IMPLEMENT, "empty implement", null)
                : Outbound.answer(request, NOT_IMPLEMENTED, "not implement", null);
    }

    @Override
    void writeFields(ByteBuf out, Outbound m) {
        out.writeBytes(CMD);
        JsonOut.string(out, m.event());
        out.writeBytes(SEQNO);
        if (m.seqno() != null && !m.seqno().isEmpty()) {
            JsonOut.seqno(out, m.seqno(), m.seqnoIsNumber());
        } else {
            JsonOut.string(out, randomSeqno());
        }
        out.writeBytes(STATUS);
        JsonOut.number(out, m.code());
        out.writeBytes(MSG);
        JsonOut.string(out, m.code() == Protocol.OK ? "ok" : m.message() == null ? "" : m.message());
        out.writeBytes(DATA);
        if (hasData(m.data())) {
            JsonOut.value(out, m.data());
        } else {
            out.writeBytes(EMPTY_OBJECT); // wsrv's reply starts with data {} and keeps it unless a handler sets one
        }
    }

    private static String randomSeqno() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[8];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}

package io.wshub.protocol;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The go-eyas wsrv codec: {@code {"cmd","seqno","data"}} in, {@code {"cmd","seqno","status",
 * "msg","data"}} out. Pushes without a seqno get a random 8-character one, as wsrv does.
 */
public final class WsrvCodec extends JsonWireCodec {
    public static final WsrvCodec INSTANCE = new WsrvCodec();
    private static final byte[] CMD = JsonOut.name("cmd");
    private static final byte[] SEQNO = comma("seqno");
    private static final byte[] STATUS = comma("status");
    private static final byte[] MSG = comma("msg");
    private static final byte[] DATA = comma("data");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private WsrvCodec() {
        super("cmd");
    }

    @Override
    public String name() {
        return "wsrv";
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
        if (hasData(m.data())) {
            out.writeBytes(DATA);
            JsonOut.value(out, m.data());
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

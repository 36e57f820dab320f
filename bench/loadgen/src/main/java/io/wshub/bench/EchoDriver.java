package io.wshub.bench;

import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Keeps a fixed number of echo requests in flight on each connection: every reply (matched by
 * seqno) sends the next request of its slot. Slot {@code s} carries seqnos s, s+K, s+2K, ...
 * Confined to the worker's event loop like the connections it drives.
 */
final class EchoDriver {
    private final Proto proto;
    private final ByteBufAllocator alloc;
    private final int inflight;
    private final byte[] data;
    final Histogram hist = Hist.create();
    boolean measuring;
    boolean stopping;
    long count;
    long outstanding;
    long errors;

    EchoDriver(Proto proto, ByteBufAllocator alloc, int inflight, int payloadBytes) {
        this.proto = proto;
        this.alloc = alloc;
        this.inflight = inflight;
        this.data = data(payloadBytes);
    }

    /** The request's data: {@code {"n":1,"s":"xxx..."}} padded to about {@code payloadBytes}. */
    private static byte[] data(int payloadBytes) {
        String pad = "x".repeat(Math.max(1, payloadBytes - 24));
        return ("{\"n\":1,\"s\":\"" + pad + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** Fills every slot of the first {@code conns} ready connections. */
    void start(List<Client> clients, int conns) {
        int used = 0;
        for (Client c : clients) {
            if (!c.ready || used == conns) {
                continue;
            }
            used++;
            c.slotSeqno = new long[inflight];
            c.slotSentNanos = new long[inflight];
            for (int slot = 0; slot < inflight; slot++) {
                c.slotSeqno[slot] = slot - inflight; // the first send adds inflight
                send(c, slot);
            }
            c.flush();
        }
    }

    void onReply(Client c, long seqno, boolean ok) {
        if (c.slotSeqno == null || seqno < 0) {
            errors++;
            return;
        }
        int slot = (int) (seqno % inflight);
        if (c.slotSeqno[slot] != seqno) {
            errors++;
            return;
        }
        outstanding--;
        if (!ok) {
            errors++;
        }
        if (measuring) {
            count++;
            Hist.record(hist, (System.nanoTime() - c.slotSentNanos[slot]) / 1000);
        }
        if (!stopping) {
            send(c, slot);
        }
    }

    private void send(Client c, int slot) {
        long seqno = c.slotSeqno[slot] + inflight;
        c.slotSeqno[slot] = seqno;
        c.slotSentNanos[slot] = System.nanoTime();
        c.write(proto.echo(alloc, seqno, data));
        outstanding++;
    }
}

package io.wshub.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wshub.CloseStatus;
import io.wshub.Connection;
import io.wshub.WsHub;
import io.wshub.protocol.Protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} lifecycle events of this node's connections (connects, closes with
 * their codes, kicks, joins, quits), for {@code GET /api/events} and the dashboard's live log.
 * Listeners run on event loops; {@code this} guards the ring.
 */
final class EventFeed {
    /** 1000: several minutes of a busy node's churn, about 100 KiB. */
    static final int CAPACITY = 1000;

    /** One event; {@code at} in Unix seconds, like the wire protocol's timestamps. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(long seq, long at, String kind, String clientId, String userId, String tag, Integer code, String reason) {}

    /** The answer of {@code GET /api/events}: events after the asked sequence number, oldest first, and the newest number. */
    record Events(List<Event> list, long last) {}

    private final Event[] ring = new Event[CAPACITY];
    private long last; // sequence number of the newest event; guarded by this

    private EventFeed() {}

    /** A feed that records {@code hub}'s events from now on. */
    static EventFeed install(WsHub hub) {
        EventFeed feed = new EventFeed();
        hub.onConnect(conn -> feed.add("connect", conn, null, null, null));
        hub.onClose(feed::closed);
        hub.use((ctx, next) -> {
            String event = ctx.event();
            boolean join = event.equals(Protocol.JOIN_EVENT);
            if (!join && !event.equals(Protocol.QUIT_EVENT)) {
                next.run();
                return;
            }
            String tag = ctx.data() == null ? null : ctx.data().path("id").asText(null);
            boolean before = tag != null && ctx.connection().tags().contains(tag);
            next.run();
            // only what took effect: a refused join, or a quit of a tag it was not in, changes nothing
            if (tag != null && before != ctx.connection().tags().contains(tag)) {
                feed.add(event, ctx.connection(), tag, null, null);
            }
        });
        return feed;
    }

    private void closed(Connection conn, CloseStatus status) {
        add(status.code() == Protocol.CLOSE_KICKED ? "kick" : "close", conn, null, status.code(), status.reason());
    }

    private void add(String kind, Connection conn, String tag, Integer code, String reason) {
        long at = Protocol.nowSeconds();
        synchronized (this) {
            last++;
            ring[(int) (last % CAPACITY)] = new Event(last, at, kind, conn.id(), conn.userId(), tag, code,
                    reason == null || reason.isEmpty() ? null : reason);
        }
    }

    /** Up to {@code limit} events after sequence number {@code after}, oldest first (older ones than the ring holds are gone). */
    synchronized Events since(long after, int limit) {
        long from = Math.max(after + 1, Math.max(1, last - CAPACITY + 1));
        List<Event> list = new ArrayList<>((int) Math.min(limit, Math.max(0, last - from + 1)));
        for (long seq = from; seq <= last && list.size() < limit; seq++) {
            list.add(ring[(int) (seq % CAPACITY)]);
        }
        return new Events(list, last);
    }
}

package io.wshub.internal;

import io.netty.buffer.ByteBuf;
import io.wshub.Connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What makes recovery gap-free and duplicate-free (docs/history.md): a connection recovering a
 * stream is subscribed first, and while it reads history its live pushes of that stream are
 * held here instead of written. When the read is done the held pushes after the read's top
 * are written behind the recovered ones; later pushes at or below that top (published before
 * the read but still on their way to this node) are dropped until one above it passes, after
 * which this node's in-order delivery makes duplicates impossible and the gate goes away.
 *
 * <p>Thread-safe: every change for one connection happens inside {@code compute} for it.
 * While any connection has a gate, a positioned push costs one map lookup per recipient and a
 * list; with none, nothing.
 */
final class StreamGates {
    private final Map<RealConnection, Map<String, Gate>> byConn = new ConcurrentHashMap<>();

    /** One recovery of one stream on one connection. */
    static final class Gate {
        final String stream;
        /** Guarded by the connection's compute; owned frames, released on settle or close. */
        private final List<ByteBuf> held = new ArrayList<>();
        private final List<Long> heldOffsets = new ArrayList<>();
        private boolean settled;
        private long floor;

        Gate(String stream) {
            this.stream = stream;
        }
    }

    /** Starts holding back {@code stream}'s pushes to {@code conn}; a gate it had is superseded. */
    Gate open(RealConnection conn, String stream) {
        Gate gate = new Gate(stream);
        byConn.compute(conn, (c, gates) -> {
            Map<String, Gate> map = gates == null ? new HashMap<>(4) : gates;
            Gate old = map.put(stream, gate);
            if (old != null) {
                release(old);
            }
            return map;
        });
        return gate;
    }

    /**
     * The connections of {@code targets} that get the push at {@code offset} now; the others had
     * it held (a retained duplicate of {@code frame}) or dropped as a duplicate.
     */
    Collection<Connection> admit(Collection<Connection> targets, String stream, long offset, ByteBuf frame) {
        if (byConn.isEmpty()) {
            return targets;
        }
        List<Connection> admitted = new ArrayList<>(targets.size());
        for (Connection c : targets) {
            if (byConn.get(c) == null || pass((RealConnection) c, stream, offset, frame)) {
                admitted.add(c);
            }
        }
        return admitted;
    }

    private boolean pass(RealConnection conn, String stream, long offset, ByteBuf frame) {
        boolean[] pass = {true};
        byConn.computeIfPresent(conn, (c, gates) -> {
            Gate g = gates.get(stream);
            if (g == null) {
                return gates;
            }
            if (!g.settled) {
                g.held.add(frame.retainedDuplicate());
                g.heldOffsets.add(offset);
                pass[0] = false;
            } else if (offset <= g.floor) {
                pass[0] = false;
            } else {
                gates.remove(stream);
            }
            return gates.isEmpty() ? null : gates;
        });
        return pass[0];
    }

    /** Whether {@code gate} is still {@code conn}'s for its stream (not superseded, not closed). */
    boolean isCurrent(RealConnection conn, Gate gate) {
        Map<String, Gate> gates = byConn.get(conn);
        if (gates == null) {
            return false;
        }
        boolean[] current = {false};
        byConn.computeIfPresent(conn, (c, g) -> {
            current[0] = g.get(gate.stream) == gate;
            return g;
        });
        return current[0];
    }

    /**
     * Ends the holding: returns the held pushes after {@code floor}, in order, owned by the
     * caller; later duplicates up to the highest of them are dropped. Null when the gate was
     * superseded by a newer recovery or the connection closed.
     */
    List<ByteBuf> settle(RealConnection conn, Gate gate, long floor) {
        List<ByteBuf> out = new ArrayList<>();
        boolean[] current = {false};
        byConn.computeIfPresent(conn, (c, gates) -> {
            if (gates.get(gate.stream) != gate) {
                return gates;
            }
            current[0] = true;
            long top = floor;
            for (int i = 0; i < gate.held.size(); i++) {
                long offset = gate.heldOffsets.get(i);
                if (offset > top) {
                    out.add(gate.held.get(i));
                    top = offset;
                } else {
                    gate.held.get(i).release();
                }
            }
            gate.held.clear();
            gate.heldOffsets.clear();
            gate.settled = true;
            gate.floor = top;
            return gates;
        });
        return current[0] ? out : null;
    }

    /** The connection is gone: drop its gates and what they held. */
    void closed(RealConnection conn) {
        Map<String, Gate> gates = byConn.remove(conn);
        if (gates != null) {
            gates.values().forEach(StreamGates::release); // removed: no compute can reach them now
        }
    }

    private static void release(Gate gate) {
        gate.held.forEach(ByteBuf::release);
        gate.held.clear();
        gate.heldOffsets.clear();
    }
}

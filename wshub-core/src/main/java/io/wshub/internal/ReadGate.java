package io.wshub.internal;

import io.netty.channel.Channel;

/**
 * Who wants the socket of one connection left unread: reading resumes only when nobody does.
 * A slow handler's backlog ({@link Lane}) and a spent read turn ({@link FrameBudgetDecoder})
 * pause it for their own reasons; one of them resuming must not undo the other's pause.
 *
 * <p>Event loop only.
 */
final class ReadGate {
    /** A blocking or async handler has a full backlog of messages waiting behind it. */
    static final int BACKLOG = 1;
    /** The frame decoder spent its budget for this turn and has bytes left to decode later. */
    static final int TURN = 2;

    private final Channel channel;
    /** The reasons that currently hold reads off, as a set of the bits above. */
    private int holds;

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    void hold(int reason) {
        holds |= reason;
        if (channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
        }
    }

    void release(int reason) {
        holds &= ~reason;
        if (holds == 0 && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }
}

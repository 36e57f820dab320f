package io.wshub;

import java.util.List;

/** Counters for {@code GET /api/stats}; connection, user and tag counts are cluster-wide. */
public record HubStats(long connections, long users, long tags, long messagesIn, long messagesOut,
                       long uptimeSeconds, List<String> nodes) {}

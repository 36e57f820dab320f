package io.wshub;

import java.time.Instant;
import java.util.Set;

/** A snapshot of one connection, as presence lists report it (docs/protocol.md §4 {@code /api/clients}). */
public record ClientInfo(String id, String userId, String ip, String userAgent, Set<String> tags,
                         Instant connectedAt, Instant lastSeenAt, String node) {}

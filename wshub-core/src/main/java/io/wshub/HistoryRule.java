package io.wshub;

import io.wshub.cluster.Retention;

import java.time.Duration;
import java.util.Objects;

/**
 * Which targets keep a history stream, and how much of it (docs/history.md): the tags matching
 * a glob ({@code room:*}), or every user's inbox. The first rule that matches a target wins.
 * Sends to a target with a stream carry {@code stream}, {@code offset} and {@code epoch} on the
 * wire and can be recovered after a reconnect; other targets are unchanged.
 *
 * @param tags  glob over tag names ({@code *} matches any run of characters); null for the user rule
 * @param users true for the rule of user inboxes
 */
public record HistoryRule(String tags, boolean users, Retention retention) {

    public HistoryRule {
        Objects.requireNonNull(retention, "retention");
        if (users == (tags != null)) {
            throw new IllegalArgumentException("a history rule is for tags (a glob) or for users, not both");
        }
        if (tags != null && tags.isEmpty()) {
            throw new IllegalArgumentException("a tag glob must not be empty");
        }
    }

    /** Tags matching {@code glob} keep their last {@code size} messages for {@code ttl} after the last one. */
    public static HistoryRule tags(String glob, int size, Duration ttl) {
        return new HistoryRule(glob, false, new Retention(size, ttl));
    }

    /** Every user inbox keeps its last {@code size} messages for {@code ttl} after the last one. */
    public static HistoryRule users(int size, Duration ttl) {
        return new HistoryRule(null, true, new Retention(size, ttl));
    }
}

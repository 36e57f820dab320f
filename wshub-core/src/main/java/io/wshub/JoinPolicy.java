package io.wshub;

import io.wshub.join.PublicTags;
import io.wshub.join.TokenJoinPolicy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client's own {@code join} of a tag is allowed (docs/backend.md, "Tag
 * permissions"). A refused join answers 403 and changes nothing. Server-side joins (Java
 * {@link Connection#join}, the HTTP API) are not checked: the backend asked for them.
 *
 * <p>Called on the connection's event loop: must not block. The answer may complete later,
 * from any thread (the proxy policy asks an HTTP backend); the connection's next message
 * waits for it, so answers keep arrival order.
 */
@FunctionalInterface
public interface JoinPolicy {
    CompletionStage<Boolean> mayJoin(Connection connection, String tag);

    CompletionStage<Boolean> ALLOW = CompletableFuture.completedFuture(true);
    CompletionStage<Boolean> DENY = CompletableFuture.completedFuture(false);

    /** Any client may join any tag (the default, as HotGo does): tags are then not private. */
    static JoinPolicy open() {
        return (connection, tag) -> ALLOW;
    }

    /**
     * Tags the token allows: claim {@code claim} (a list or a comma-separated string) holds
     * patterns with {@code *} wildcards and {@code {userId}}, e.g. {@code ["room:*",
     * "user:{userId}:*"]}. Anonymous connections and tokens without the claim may join none.
     */
    static JoinPolicy tokenClaim(String claim) {
        return new TokenJoinPolicy(claim);
    }

    /** This policy, except that tags matching {@code patterns} ({@code *} wildcards) are open to all. */
    default JoinPolicy withPublic(List<String> patterns) {
        return patterns.isEmpty() ? this : new PublicTags(patterns, this);
    }
}

package io.wshub.join;

import io.wshub.Connection;
import io.wshub.JoinPolicy;

import java.util.concurrent.CompletionStage;

/** {@link JoinPolicy#tokenClaim}: a JWT claim lists the tag patterns a connection may join. */
public final class TokenJoinPolicy implements JoinPolicy {
    private final String claim;

    public TokenJoinPolicy(String claim) {
        if (claim == null || claim.isEmpty()) {
            throw new IllegalArgumentException("the token join policy needs a claim name");
        }
        this.claim = claim;
    }

    @Override
    public CompletionStage<Boolean> mayJoin(Connection connection, String tag) {
        return TagPattern.anyMatches(ClaimTags.of(connection.claims().get(claim)), tag, connection.userId()) ? ALLOW : DENY;
    }
}

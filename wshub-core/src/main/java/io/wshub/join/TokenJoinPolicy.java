package io.wshub.join;

import io.wshub.Connection;
import io.wshub.JoinPolicy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
        return TagPattern.anyMatches(patterns(connection.claims().get(claim)), tag, connection.userId()) ? ALLOW : DENY;
    }

    /** The claim as patterns: a JSON array of strings, or one comma-separated string. */
    static List<String> patterns(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        } else if (value instanceof String s) {
            for (String p : s.split(",")) {
                if (!p.isBlank()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }
}

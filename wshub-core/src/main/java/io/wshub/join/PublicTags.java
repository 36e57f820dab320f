package io.wshub.join;

import io.wshub.Connection;
import io.wshub.JoinPolicy;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@link JoinPolicy#withPublic}: public tag patterns are open under any policy. */
public final class PublicTags implements JoinPolicy {
    private final List<String> patterns;
    private final JoinPolicy rest;

    public PublicTags(List<String> patterns, JoinPolicy rest) {
        this.patterns = List.copyOf(patterns);
        this.rest = rest;
    }

    @Override
    public CompletionStage<Boolean> mayJoin(Connection connection, String tag) {
        return TagPattern.anyMatches(patterns, tag, connection.userId()) ? ALLOW : rest.mayJoin(connection, tag);
    }
}

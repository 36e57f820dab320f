package io.wshub.cluster;

import io.wshub.ClientInfo;
import io.wshub.Target;
import io.wshub.ClientQuery;
import io.wshub.Page;
import io.wshub.TagCount;
import io.wshub.UserCount;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Single-node presence: every answer comes from this node's connections, at once. The counts
 * come from the registry's indexes, so only the paged client list walks the connections.
 */
public final class LocalPresence implements Presence {
    private final Supplier<List<UserCount>> users;
    private final Supplier<List<TagCount>> tags;
    private String nodeId;
    private Supplier<Collection<ClientInfo>> local;

    public LocalPresence(Supplier<List<UserCount>> users, Supplier<List<TagCount>> tags) {
        this.users = users;
        this.tags = tags;
    }

    @Override
    public void start(String nodeId, Supplier<Collection<ClientInfo>> local) {
        this.nodeId = nodeId;
        this.local = local;
    }

    @Override public void connected(ClientInfo client) {}
    @Override public void disconnected(ClientInfo client) {}
    @Override public void changed(ClientInfo client) {}

    @Override
    public CompletionStage<Page<ClientInfo>> clients(ClientQuery query) {
        return CompletableFuture.completedFuture(page(local.get(), query));
    }

    /** Filters, sorts by connect time then id, and cuts one page: shared with cluster presences. */
    public static Page<ClientInfo> page(Collection<ClientInfo> all, ClientQuery query) {
        List<ClientInfo> matching = all.stream()
                .filter(query::matches)
                .sorted(Comparator.comparing(ClientInfo::connectedAt).thenComparing(ClientInfo::id))
                .toList();
        int from = (int) Math.min((long) (query.page() - 1) * query.perPage(), matching.size());
        int to = Math.min(from + query.perPage(), matching.size());
        return new Page<>(matching.subList(from, to), matching.size(), query.page(), query.perPage());
    }

    @Override
    public CompletionStage<List<UserCount>> users() {
        return CompletableFuture.completedFuture(users.get());
    }

    @Override
    public CompletionStage<List<TagCount>> tags() {
        return CompletableFuture.completedFuture(tags.get());
    }

    @Override
    public CompletionStage<Long> countElsewhere(Target target) {
        return CompletableFuture.completedFuture(0L);
    }

    @Override
    public CompletionStage<List<String>> nodes() {
        return CompletableFuture.completedFuture(List.of(nodeId));
    }

    @Override
    public void close() {}
}

package io.wshub.redis;

import io.wshub.Target;
import io.wshub.registry.ClientIds;

/**
 * Names of every Redis channel and key wshub uses, all under one prefix ({@code wshub} by
 * default). Redis keeps channels and keys apart, so the two families cannot collide.
 *
 * <pre>
 * channels  {p}:all               sends to everyone; every node subscribes
 *           {p}:node:{node}       sends and kicks for client ids made on that node
 *           {p}:user:{userId}     subscribed while the node has a connection of the user
 *           {p}:tag:{tag}         subscribed while the node has a member of the tag
 * keys      {p}:presence:nodes                 SET of node ids (pruned when their alive key is gone)
 *           {p}:presence:{node}:alive          STRING with the presence TTL, refreshed by the node
 *           {p}:presence:{node}:clients        HASH client id -> connection JSON
 *           {p}:presence:{node}:users          HASH user id -> connections on that node
 *           {p}:presence:{node}:tags           HASH tag -> members on that node
 *           {p}:history:{user|tag}:{id}        LIST of a stream's kept publications (RedisHistory)
 *           {p}:history:{user|tag}:{id}:meta   HASH epoch, top offset
 * </pre>
 *
 * <p>In Redis Cluster ({@link ClusteredRedis}, {@code hashTagged}) a node's presence keys are
 * hash-tagged, {@code {p:presence:node}:alive}, {@code :clients}, {@code :users}, {@code :tags}
 * (and the {@code :staging} copies of the writer), so they share one slot: the writer's
 * rename script and a node's goodbye touch one slot only.
 */
record RedisKeys(String prefix, boolean hashTagged) {

    RedisKeys(String prefix) {
        this(prefix, false);
    }

    /** The channel a send to {@code target} goes to; null for a client id that names no node. */
    String channel(Target target) {
        return switch (target.kind()) {
            case ALL -> prefix + ":all";
            case USER -> prefix + ":user:" + target.id();
            case TAG -> prefix + ":tag:" + target.id();
            case CLIENT -> {
                String node = ClientIds.nodeOf(target.id());
                yield node == null ? null : nodeChannel(node);
            }
        };
    }

    String nodeChannel(String nodeId) {
        return prefix + ":node:" + nodeId;
    }

    String nodes() {
        return prefix + ":presence:nodes";
    }

    String alive(String nodeId) {
        return node(nodeId) + ":alive";
    }

    String clients(String nodeId) {
        return node(nodeId) + ":clients";
    }

    String users(String nodeId) {
        return node(nodeId) + ":users";
    }

    String tags(String nodeId) {
        return node(nodeId) + ":tags";
    }

    /** The common part of a node's presence keys; in braces (one slot) when hash-tagged. */
    private String node(String nodeId) {
        String node = prefix + ":presence:" + nodeId;
        return hashTagged ? "{" + node + "}" : node;
    }
}

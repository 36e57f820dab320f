package io.wshub.nats;

import io.wshub.Target;
import io.wshub.registry.ClientIds;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The NATS subjects of a cluster, all under one prefix ({@code wshub} by default):
 *
 * <pre>
 * {p}.all            sends to everyone; every node subscribes
 * {p}.node.{node}    sends and kicks for client ids made on that node
 * {p}.user.{userId}  subscribed while the node has a connection of the user
 * {p}.tag.{tag}      subscribed while the node has a member of the tag
 * </pre>
 *
 * An id made only of letters, digits, {@code _} and {@code -} is used as it is; any other id
 * (a dot would split the token, a space or {@code *}/{@code >} is not allowed in a subject) is
 * written as {@code ~} and its UTF-8 bytes in unpadded base64url, e.g. user {@code a.b} is
 * {@code wshub.user.~YS5i}. Plain ids never start with {@code ~}, so no two ids share a subject.
 */
record NatsSubjects(String prefix) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    NatsSubjects {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a NATS subject prefix is dot-separated letters, digits, _ and -: " + prefix);
        }
    }

    /** The subject a send to {@code target} goes to; null for a client id that names no node. */
    String subject(Target target) {
        return switch (target.kind()) {
            case ALL -> prefix + ".all";
            case USER -> prefix + ".user." + token(target.id());
            case TAG -> prefix + ".tag." + token(target.id());
            case CLIENT -> {
                String node = ClientIds.nodeOf(target.id());
                yield node == null ? null : node(node);
            }
        };
    }

    String node(String nodeId) {
        return prefix + ".node." + token(nodeId);
    }

    static String token(String id) {
        if (PLAIN.matcher(id).matches()) {
            return id;
        }
        return "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }
}

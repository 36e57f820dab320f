package io.wshub.http;

import io.wshub.NodeStats;
import io.wshub.WsConfig;
import io.wshub.WsHub;

import java.util.List;

/**
 * {@code GET /api/nodes}: every live node's own counters and rates (docs/protocol.md §4), for
 * the dashboard's Nodes view. The node that answers marks its own record with {@code self}.
 */
final class NodesApi {
    private NodesApi() {}

    static WsConfig.Route route(WsHub hub) {
        return new WsConfig.Route("GET", "/api/nodes", call -> hub.nodeStats().thenApply(nodes -> {
            List<NodeJson> list = nodes.stream().map(n -> NodeJson.of(n, hub.nodeId())).toList();
            return HttpReply.ok(new Nodes(list, list.size(), hub.nodeId()));
        }));
    }

    /** The answer: {@code self} is the answering node's id. */
    record Nodes(List<NodeJson> list, int total, String self) {}

    /** One node; times in Unix milliseconds, since a heartbeat is at most seconds old. */
    record NodeJson(String id, boolean self, long connections, long users, long messagesIn, long messagesOut,
                    double messagesInPerSecond, double messagesOutPerSecond, long startedAt, long heartbeatAt) {
        static NodeJson of(NodeStats n, String self) {
            return new NodeJson(n.nodeId(), n.nodeId().equals(self), n.connections(), n.users(), n.messagesIn(),
                    n.messagesOut(), round(n.messagesInPerSecond()), round(n.messagesOutPerSecond()),
                    n.startedAt().toEpochMilli(), n.heartbeatAt().toEpochMilli());
        }

        /** Two decimals: a rate over a one-second window carries no more. */
        private static double round(double rate) {
            return Math.round(rate * 100) / 100.0;
        }
    }
}

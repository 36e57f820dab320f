package io.wshub.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One message from the server, the same for both codecs (docs/protocol.md §1): the json
 * codec's {@code event/code/errorMsg} and the wsrv codec's {@code cmd/status/msg} land in the
 * same fields.
 *
 * @param event     the event (json) or cmd (wsrv) name
 * @param code      0 for success, otherwise the server's error code (400, 401, 404, ...)
 * @param message   the error text, or null
 * @param data      the data ({@link NullNode} when absent), never null
 * @param seqno     the seqno the server echoed or generated, or null
 * @param timestamp Unix seconds as sent by the server, 0 when absent
 */
public record ServerMessage(String event, int code, String message, JsonNode data, String seqno, long timestamp) {
    public ServerMessage {
        data = data == null ? NullNode.getInstance() : data;
    }

    /** True for code 0. */
    public boolean ok() {
        return code == 0;
    }
}

package io.wshub;

import io.wshub.auth.Identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Decides, before the upgrade, whether a WebSocket connection may open and as whom (the
 * connect proxy, docs/backend.md). With a gate, a token that is not a valid JWT is not
 * refused by itself: it reaches the gate with no identity, so a backend can accept opaque
 * tokens. A refusal answers the upgrade request with the decision's status and
 * {@code {"code":status,"message":...}} before any upgrade.
 *
 * <p>Called on the connection's event loop: must not block; the decision may complete
 * later from any thread. A failed stage refuses with 502.
 */
@FunctionalInterface
public interface ConnectGate {
    CompletionStage<Decision> check(Request request);

    /**
     * What the gate sees.
     *
     * @param headers  request headers by lower-case name (first value of each)
     * @param query    query parameters of the upgrade URL
     * @param token    the token found as docs/protocol.md §2 says, or null
     * @param identity the verified JWT, or null when there was none or it did not verify
     */
    record Request(String ip, Map<String, String> headers, Map<String, List<String>> query, String token,
                   Identity identity) {}

    /**
     * A gate's answer: {@code status} 0 lets the connection open as {@code userId} (null =
     * anonymous) with {@code tags} joined and {@code meta} as attribute {@code "meta"};
     * otherwise the upgrade is refused with that HTTP status (401 or 403) and message.
     */
    record Decision(int status, String message, String userId, List<String> tags, Map<String, Object> meta,
                    Instant expiresAt) {
        public Decision {
            tags = tags == null ? List.of() : List.copyOf(tags);
            meta = meta == null ? Map.of() : meta;
        }

        public static Decision allow(String userId, List<String> tags, Map<String, Object> meta, Instant expiresAt) {
            return new Decision(0, null, userId, tags, meta, expiresAt);
        }

        public static Decision refuse(int status, String message) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a refusal needs an HTTP error status: " + status);
            }
            return new Decision(status, message, null, null, null, null);
        }

        public boolean allowed() {
            return status == 0;
        }
    }
}

package io.wshub.protocol;

import java.util.Base64;
import java.util.List;

/**
 * The rules an upgrade request must follow (RFC 6455 §4.2.1, RFC 9112 §3.2), as pure checks.
 * The server answers each failed rule with the status named here and a JSON body; see
 * docs/protocol.md §2.
 */
public final class Handshake {
    private Handshake() {}

    /** The only WebSocket version there is; anything else gets 426 naming it. */
    public static final String SUPPORTED_VERSION = "13";
    /** A {@code Sec-WebSocket-Key} is a base64-encoded 16-byte nonce. */
    public static final int KEY_BYTES = 16;
    /** Status of a refusal for an unsupported {@code Sec-WebSocket-Version}. */
    public static final int STATUS_UPGRADE_REQUIRED = 426;

    /** True when {@code key} is 16 bytes in standard base64 (24 characters with padding). */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * True when {@code values} holds exactly one Host of the form {@code host[:port]}: a
     * registered name or IPv4 address of printable characters, or a bracketed IPv6 address,
     * and a port of digits.
     */
    public static boolean isValidHost(List<String> values) {
        if (values == null || values.size() != 1) {
            return false;
        }
        String host = values.get(0).strip();
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        int portAt;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 2 || !host.substring(1, close).chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return false;
            }
            portAt = close + 1;
            if (portAt < host.length() && host.charAt(portAt) != ':') {
                return false;
            }
        } else {
            portAt = host.indexOf(':');
            String name = portAt < 0 ? host : host.substring(0, portAt);
            if (name.isEmpty() || !name.chars().allMatch(Handshake::isRegNameChar)) {
                return false;
            }
            if (portAt < 0) {
                return true;
            }
        }
        if (portAt >= host.length()) {
            return true;
        }
        String port = host.substring(portAt + 1);
        return port.length() <= 5 && port.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** RFC 3986 reg-name characters: unreserved, sub-delims and percent escapes. */
    private static boolean isRegNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
    }
}

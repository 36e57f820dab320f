package io.wshub.webhook;

import java.util.Set;

/** The webhook types (docs/backend.md "Webhooks"); {@link #name} is the payload's {@code type}. */
public final class Webhook {
    public static final String CONNECT = "connect";
    public static final String DISCONNECT = "disconnect";
    public static final String JOIN = "join";
    public static final String QUIT = "quit";
    public static final String USER_ONLINE = "user.online";
    public static final String USER_OFFLINE = "user.offline";
    public static final Set<String> ALL = Set.of(CONNECT, DISCONNECT, JOIN, QUIT, USER_ONLINE, USER_OFFLINE);

    private Webhook() {}
}

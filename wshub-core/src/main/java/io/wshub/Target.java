package io.wshub;

/** Who a send or kick is for: one client, one user (all devices), a tag, or everyone. {@code id} is null for {@link Kind#ALL}. */
public record Target(Kind kind, String id) {
    public enum Kind { CLIENT, USER, TAG, ALL }

    public static final Target ALL = new Target(Kind.ALL, null);

    public static Target client(String id) { return new Target(Kind.CLIENT, id); }
    public static Target user(String id) { return new Target(Kind.USER, id); }
    public static Target tag(String id) { return new Target(Kind.TAG, id); }
}

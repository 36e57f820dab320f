package io.wshub;

/** Who a send or kick is for: one client, one user (all devices), a tag, or everyone. {@code id} is null for {@link Kind#ALL}. */
public record Target(Kind kind, String id) {
    public enum Kind { CLIENT, USER, TAG, ALL }

    /**
     * @throws NullPointerException when {@code kind} is null, or {@code id} is null for a client, user or tag
     * @throws IllegalArgumentException when {@code id} is given for {@link Kind#ALL}
     */
    public Target {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind == Kind.ALL && id != null) {
            throw new IllegalArgumentException("a target of everyone has no id");
        }
        if (kind != Kind.ALL && id == null) {
            throw new NullPointerException("a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " target needs an id");
        }
    }

    public static final Target ALL = new Target(Kind.ALL, null);

    public static Target client(String id) { return new Target(Kind.CLIENT, id); }
    public static Target user(String id) { return new Target(Kind.USER, id); }
    public static Target tag(String id) { return new Target(Kind.TAG, id); }
}

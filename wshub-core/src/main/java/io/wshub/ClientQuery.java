package io.wshub;

/**
 * Filters and paging for connection lists; null filters match everything.
 *
 * @param page    1-based
 * @param perPage 1..1000
 */
public record ClientQuery(String userId, String tag, String ip, int page, int perPage) {
    public static final int MAX_PER_PAGE = 1000;

    public ClientQuery {
        if (page < 1) throw new IllegalArgumentException("page must be >= 1");
        if (perPage < 1 || perPage > MAX_PER_PAGE) throw new IllegalArgumentException("perPage must be 1.." + MAX_PER_PAGE);
    }

    public static ClientQuery all() {
        return new ClientQuery(null, null, null, 1, MAX_PER_PAGE);
    }

    public boolean matches(ClientInfo c) {
        return (userId == null || userId.equals(c.userId()))
                && (tag == null || c.tags().contains(tag))
                && (ip == null || ip.equals(c.ip()));
    }
}

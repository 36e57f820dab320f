package io.wshub;

import java.time.Duration;

/**
 * What one client may cost the hub (docs/limits.md): tags per connection, connections per IP
 * and per user, handshakes per second per IP, and how long an HTTP request head may take.
 * Reached through {@link WsConfig#limits()}; read once at {@link WsHub#start()}; not thread-safe.
 *
 * <p>Caps of 0 are off (the default for the connection and handshake caps). A client past a
 * cap is refused before the upgrade with HTTP 429 and a JSON body; a {@code join} past the tag
 * cap gets a 413 reply and the connection stays open.
 */
public final class Limits {
    // 128: a user in a few dozen rooms plus per-user topics; join replies list every tag, so the
    // cap also bounds the largest reply (128 x Protocol.MAX_TAG_BYTES).
    private int maxTagsPerConnection = 128;
    private int maxConnectionsPerIp;
    private int maxConnectionsPerUser;
    private int handshakesPerSecondPerIp;
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    Limits() {}

    /** Tags one connection may be in, 1 to 1,000,000 (default 128); past it {@code join} answers 413. */
    public Limits maxTagsPerConnection(int n) { this.maxTagsPerConnection = range(n, 1, 1_000_000); return this; }
    public int maxTagsPerConnection() { return maxTagsPerConnection; }

    /** Open connections per client IP on this node, 0 = unlimited (default); past it the upgrade gets 429. */
    public Limits maxConnectionsPerIp(int n) { this.maxConnectionsPerIp = range(n, 0, Integer.MAX_VALUE); return this; }
    public int maxConnectionsPerIp() { return maxConnectionsPerIp; }

    /**
     * Open connections per user (devices), 0 = unlimited (default); past it the upgrade gets
     * 429. Counted across the cluster when the hub has a cluster-wide presence.
     */
    public Limits maxConnectionsPerUser(int n) { this.maxConnectionsPerUser = range(n, 0, Integer.MAX_VALUE); return this; }
    public int maxConnectionsPerUser() { return maxConnectionsPerUser; }

    /** Upgrade attempts per second per client IP (burst of the same size), 0 = unlimited (default); over it 429. */
    public Limits handshakesPerSecondPerIp(int n) { this.handshakesPerSecondPerIp = range(n, 0, Integer.MAX_VALUE); return this; }
    public int handshakesPerSecondPerIp() { return handshakesPerSecondPerIp; }

    /**
     * Time from a request's first byte to the end of its head (default 10 s, at least 100 ms);
     * a client trickling header bytes cannot extend it. Past it the connection is closed.
     */
    public Limits handshakeTimeout(Duration d) {
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("handshake timeout must be at least 100 ms: " + d);
        }
        this.handshakeTimeout = d;
        return this;
    }
    public Duration handshakeTimeout() { return handshakeTimeout; }

    private static int range(int n, int min, int max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ": " + n);
        }
        return n;
    }
}

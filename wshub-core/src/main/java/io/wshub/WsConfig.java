package io.wshub;

import io.micrometer.core.instrument.MeterRegistry;
import io.wshub.auth.AuthMode;
import io.wshub.auth.Authenticator;
import io.wshub.cluster.Broker;
import io.wshub.cluster.History;
import io.wshub.cluster.Presence;
import io.wshub.http.HttpRoute;
import io.wshub.protocol.Codec;
import io.wshub.protocol.JsonCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link WsHub}, filled in by the callback given to {@link WsHub#create}. Each
 * setting has a fluent setter and a getter of the same name. Defaults follow docs/protocol.md §5.3.
 * Read once at {@link WsHub#start()}; not thread-safe.
 */
public final class WsConfig {
    /** A client silent for a minute (two missed 25 s pings and then some) is gone. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    private String host = "0.0.0.0";
    private int port = 8080;
    private List<String> paths = List.of("/ws");
    private Codec codec = JsonCodec.INSTANCE;
    private Authenticator auth;
    private AuthMode authMode;
    private List<String> allowedOrigins = List.of();
    private List<String> apiKeys = List.of();
    private List<String> corsOrigins = List.of();
    private boolean httpApi = true;
    private boolean metrics = true;
    private boolean connectedEvent = true;
    // 64 KiB: room for any chat or notification payload, small enough that a client cannot
    // make the server buffer much per frame.
    private int maxMessageBytes = 64 * 1024;
    // 1 MiB: about 10,000 typical 100-byte pushes of slack before a reader counts as stuck.
    private int outboundQueueBytes = 1024 * 1024;
    private int maxHttpBodyBytes = 1024 * 1024;
    private Duration pingInterval = Duration.ofSeconds(25);
    /** Null: the codec's ({@link Codec#idleTimeout}), else {@link #DEFAULT_IDLE_TIMEOUT}. */
    private Duration idleTimeout;
    /** Null: the codec's ({@link Codec#pushFrames}). */
    private FrameType pushFrames;
    private String hotgoSendPath;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration drainGrace = Duration.ZERO;
    private int workerThreads = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
    private int ioThreads = 0;
    private Duration writeDelay = Duration.ZERO;
    private boolean writeDelayAuto = true;
    private Duration autoWriteDelayMax = AUTO_WRITE_DELAY_MAX;
    private int rateLimitPerSecond = 0;
    private int rateLimitBurst = 0;
    private Broker broker;
    private Presence presence;
    private String nodeId;
    private MeterRegistry meterRegistry;
    private java.nio.file.Path tlsCert;
    private boolean compression = false;
    // 512 bytes: below it deflate saves a few dozen bytes at best, for the CPU of a compression.
    private int compressionThreshold = 512;
    private boolean compressionClientContextTakeover = false;
    private java.nio.file.Path tlsKey;
    private List<HistoryRule> historyRules = List.of();
    private History historyEngine;
    private JoinPolicy joinPolicy = JoinPolicy.open();
    private ConnectGate connectGate;
    private final Limits limits = new Limits();
    private final List<Route> routes = new ArrayList<>();
    private final List<StaticMount> staticMounts = new ArrayList<>();

    /** A custom HTTP route; {@code path} may hold {@code {name}} segments. */
    public record Route(String method, String path, HttpRoute handler) {}

    /** Files under classpath folder {@code resourceDir} served at URL {@code prefix}. */
    public record StaticMount(String prefix, String resourceDir) {}

    public WsConfig host(String host) { this.host = Objects.requireNonNull(host); return this; }
    public String host() { return host; }

    /** 0 picks a free port; {@link WsHub#port()} tells which. */
    public WsConfig port(int port) { this.port = port; return this; }
    public int port() { return port; }

    /** The WebSocket paths (default {@code /ws}). */
    public WsConfig paths(String... paths) { this.paths = List.of(paths); return this; }
    public List<String> paths() { return paths; }

    public WsConfig codec(Codec codec) { this.codec = Objects.requireNonNull(codec); return this; }
    public WsConfig codec(String name) { return codec(Codec.named(name)); }
    public Codec codec() { return codec; }

    /** Verifies tokens; with one set, the mode defaults to {@link AuthMode#REQUIRED}. */
    public WsConfig auth(Authenticator auth) { this.auth = auth; return this; }
    public Authenticator auth() { return auth; }

    public WsConfig authMode(AuthMode mode) { this.authMode = mode; return this; }
    public AuthMode authMode() { return authMode != null ? authMode : auth != null ? AuthMode.REQUIRED : AuthMode.OFF; }

    /** Browser origins allowed to connect, {@code *} wildcards allowed; empty = same-origin and non-browser clients only. */
    public WsConfig allowedOrigins(List<String> origins) { this.allowedOrigins = List.copyOf(origins); return this; }
    public List<String> allowedOrigins() { return allowedOrigins; }

    /**
     * Browser origins (admin tools on other sites, {@code *} wildcards) whose pages may call the
     * HTTP API; the API key is still required. Empty (default): no CORS headers on {@code /api}.
     * Static files are always served to any origin (docs/protocol.md §4.5).
     */
    public WsConfig corsOrigins(List<String> origins) { this.corsOrigins = List.copyOf(origins); return this; }
    public List<String> corsOrigins() { return corsOrigins; }

    /** Keys accepted by the HTTP API; with none, every {@code /api} call answers 401. */
    public WsConfig apiKeys(List<String> keys) { this.apiKeys = List.copyOf(keys); return this; }
    public WsConfig apiKey(String key) { return apiKeys(List.of(key)); }
    public List<String> apiKeys() { return apiKeys; }

    /** Serve the HTTP API ({@code /api/*}) on the same port (default true). */
    public WsConfig httpApi(boolean on) { this.httpApi = on; return this; }
    public boolean httpApi() { return httpApi; }

    /** Serve {@code /metrics} in Prometheus format (default true). */
    public WsConfig metrics(boolean on) { this.metrics = on; return this; }
    public boolean metrics() { return metrics; }

    /** Push a {@code connected} event right after the upgrade (default true). */
    public WsConfig connectedEvent(boolean on) { this.connectedEvent = on; return this; }
    public boolean connectedEvent() { return connectedEvent; }

    public WsConfig maxMessageBytes(int bytes) { this.maxMessageBytes = positive(bytes); return this; }
    public int maxMessageBytes() { return maxMessageBytes; }

    public WsConfig outboundQueueBytes(int bytes) { this.outboundQueueBytes = positive(bytes); return this; }
    public int outboundQueueBytes() { return outboundQueueBytes; }

    public WsConfig maxHttpBodyBytes(int bytes) { this.maxHttpBodyBytes = positive(bytes); return this; }
    public int maxHttpBodyBytes() { return maxHttpBodyBytes; }

    public WsConfig pingInterval(Duration d) { this.pingInterval = d; return this; }
    public Duration pingInterval() { return pingInterval; }

    /** A connection that sends nothing (not even a pong) for this long is closed with 4408. */
    public WsConfig idleTimeout(Duration d) { this.idleTimeout = d; return this; }
    /** Unless set: 30 s with the wsrv codec (as wsrv), 60 s otherwise. */
    public Duration idleTimeout() {
        return idleTimeout != null ? idleTimeout : codec.idleTimeout() != null ? codec.idleTimeout() : DEFAULT_IDLE_TIMEOUT;
    }

    /** The frame type of server pushes; unless set, binary with the wsrv codec (as wsrv), text otherwise. Replies use the request's type. */
    public WsConfig pushFrames(FrameType type) { this.pushFrames = type; return this; }
    public FrameType pushFrames() { return pushFrames != null ? pushFrames : codec.pushFrames(); }

    /**
     * Also serve HotGo's send-to-tag endpoint ({@code POST} body {@code {"tag","response":{"event","data",...}}})
     * at {@code path}, e.g. {@code /socket/send/toTag}; guarded by the API key like every API call. Null (default): off.
     */
    public WsConfig hotgoSendPath(String path) { this.hotgoSendPath = path == null || path.isBlank() ? null : path; return this; }
    public String hotgoSendPath() { return hotgoSendPath; }

    public WsConfig drainTimeout(Duration d) { this.drainTimeout = d; return this; }
    public Duration drainTimeout() { return drainTimeout; }

    /**
     * How long {@link WsHub#close()} keeps accepting connections after {@code /healthz} turned
     * 503, so a load balancer polling it stops routing here first (default 0). The drain time
     * starts after it.
     */
    public WsConfig drainGrace(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("negative drain grace: " + d);
        this.drainGrace = d;
        return this;
    }
    public Duration drainGrace() { return drainGrace; }

    /** Threads for {@link WsHub#onBlocking} handlers and blocking token checks. */
    public WsConfig workerThreads(int n) { this.workerThreads = positive(n); return this; }
    public int workerThreads() { return workerThreads; }

    /**
     * Event-loop threads; 0 (default) = one per CPU this process may use, which is
     * {@link Runtime#availableProcessors()}: it honours the affinity mask ({@code taskset}) and
     * container CPU limits, not the host's core count. See docs/tuning.md for when more help.
     */
    public WsConfig ioThreads(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("ioThreads must be 0 (one per CPU) or more, not " + n);
        }
        this.ioThreads = n;
        return this;
    }
    public int ioThreads() { return ioThreads; }

    /** Longest write window the hub accepts. */
    public static final Duration MAX_WRITE_DELAY = Duration.ofSeconds(1);
    /**
     * Longest the automatic write window holds a push unless {@link #autoWriteDelay(Duration)}
     * says otherwise: docs/BENCHMARKS.md "The automatic window's cap" measures 5, 20, 50, 100 and 200 ms.
     */
    public static final Duration AUTO_WRITE_DELAY_MAX = Duration.ofMillis(20);

    /**
     * A fixed write window, 0 to {@link #MAX_WRITE_DELAY}, in place of the automatic one: a
     * connection's pushes (sends, broadcasts) are flushed at most this long after the first one
     * queued, so pushes queued meanwhile leave in one write syscall. Replies to a client's own
     * requests are never held: they flush at once (and take any held pushes with them). 0 =
     * never hold: flush once the event loop has run the tasks it has queued. See
     * docs/tuning.md for the measured trade-off.
     */
    public WsConfig writeDelay(Duration delay) {
        if (delay.isNegative() || delay.compareTo(MAX_WRITE_DELAY) > 0) {
            throw new IllegalArgumentException("writeDelay must be 0 to " + MAX_WRITE_DELAY.toMillis() + " ms, not " + delay.toMillis() + " ms");
        }
        this.writeDelay = delay;
        this.writeDelayAuto = false;
        return this;
    }

    /** The automatic write window (the default) with its default cap, {@link #AUTO_WRITE_DELAY_MAX}. */
    public WsConfig autoWriteDelay() {
        return autoWriteDelay(AUTO_WRITE_DELAY_MAX);
    }

    /**
     * The automatic write window: pushes are held only while an event loop is busy flushing
     * (its last flush round took at least 0.25 ms and ended less than its own length ago), each
     * for as long as that round took, at most {@code max} (more than 0, up to
     * {@link #MAX_WRITE_DELAY}). An idle or lightly loaded hub flushes at once, as with
     * {@code writeDelay(Duration.ZERO)}; a larger cap holds pushes longer on a busy loop, for
     * fewer writes and more latency (docs/tuning.md).
     */
    public WsConfig autoWriteDelay(Duration max) {
        if (max.isNegative() || max.isZero() || max.compareTo(MAX_WRITE_DELAY) > 0) {
            throw new IllegalArgumentException("the automatic write window's cap must be more than 0 and at most "
                    + MAX_WRITE_DELAY.toMillis() + " ms, not " + max.toMillis() + " ms (a write delay of 0 never holds)");
        }
        this.writeDelay = Duration.ZERO;
        this.writeDelayAuto = true;
        this.autoWriteDelayMax = max;
        return this;
    }

    /** True with the automatic write window; {@link #writeDelay()} is then 0. */
    public boolean writeDelayAuto() { return writeDelayAuto; }
    /** The automatic write window's cap; unused with a fixed one. */
    public Duration autoWriteDelayMax() { return autoWriteDelayMax; }
    public Duration writeDelay() { return writeDelay; }

    /**
     * Per-connection message rate: over it a message gets 429; a connection over it for a
     * whole second's worth of messages is closed with 4029. 0 = unlimited (default).
     */
    public WsConfig rateLimit(int perSecond, int burst) {
        this.rateLimitPerSecond = perSecond;
        this.rateLimitBurst = Math.max(burst, perSecond);
        return this;
    }
    public int rateLimitPerSecond() { return rateLimitPerSecond; }
    public int rateLimitBurst() { return rateLimitBurst; }

    /** Per-client caps (tags, connections per IP and user, handshake rate and timeout); see {@link Limits}. */
    public Limits limits() { return limits; }

    /** Cluster message bus; default: none (single node). */
    public WsConfig broker(Broker broker) { this.broker = broker; return this; }
    public Broker broker() { return broker; }

    /** Cluster-wide presence; default: this node's connections only. */
    public WsConfig presence(Presence presence) { this.presence = presence; return this; }
    public Presence presence() { return presence; }

    /** This node's id; default: a random one. */
    public WsConfig nodeId(String id) { this.nodeId = id; return this; }
    public String nodeId() { return nodeId; }

    /**
     * Serve {@code wss://} and {@code https://} on the hub's port with the PEM certificate chain
     * (leaf first, then intermediates) and PEM PKCS#8 private key in these files. The files are
     * checked every 2 s and reloaded when they change, for new connections. Default: plain.
     */
    public WsConfig tls(java.nio.file.Path certChainPem, java.nio.file.Path privateKeyPem) {
        this.tlsCert = Objects.requireNonNull(certChainPem);
        this.tlsKey = Objects.requireNonNull(privateKeyPem);
        return this;
    }
    public java.nio.file.Path tlsCert() { return tlsCert; }
    public java.nio.file.Path tlsKey() { return tlsKey; }

    /**
     * Negotiate permessage-deflate (RFC 7692) with clients that offer it (default false; see
     * docs/protocol.md §1.9). Server messages are compressed on their own
     * ({@code server_no_context_takeover}), so a broadcast is compressed once for all.
     */
    public WsConfig compression(boolean on) { this.compression = on; return this; }
    public boolean compression() { return compression; }

    /** Server messages with a payload under this many bytes go out uncompressed (default 512). */
    public WsConfig compressionThreshold(int bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative threshold: " + bytes);
        this.compressionThreshold = bytes;
        return this;
    }
    public int compressionThreshold() { return compressionThreshold; }

    /**
     * Let clients keep their compression context between messages (better ratio on small
     * similar messages, about 40 KiB of inflater per connection for its lifetime). Default
     * false: clients that offer {@code client_no_context_takeover} are asked to use it.
     */
    public WsConfig compressionClientContextTakeover(boolean on) { this.compressionClientContextTakeover = on; return this; }
    public boolean compressionClientContextTakeover() { return compressionClientContextTakeover; }

    /**
     * Where meters go; default: a new Prometheus registry, with JVM meters. A registry given
     * here belongs to the application, which binds its own JVM meters: the hub adds only its
     * {@code wshub.*} meters.
     */
    public WsConfig meterRegistry(MeterRegistry registry) { this.meterRegistry = registry; return this; }
    public MeterRegistry meterRegistry() { return meterRegistry; }

    /** Targets that keep a history stream (docs/history.md); default none: at-most-once delivery. */
    public WsConfig history(HistoryRule... rules) { this.historyRules = List.of(rules); return this; }
    public List<HistoryRule> historyRules() { return historyRules; }

    /** Where history streams live; default: this JVM's memory ({@code RedisCluster} sets Redis). */
    public WsConfig historyEngine(History engine) { this.historyEngine = engine; return this; }
    public History historyEngine() { return historyEngine; }

    /** Who may {@code join} which tag (default {@link JoinPolicy#open()}; docs/backend.md). */
    public WsConfig joinPolicy(JoinPolicy policy) { this.joinPolicy = Objects.requireNonNull(policy); return this; }
    public JoinPolicy joinPolicy() { return joinPolicy; }

    /** Asked before every upgrade (the connect proxy, docs/backend.md); default: none. */
    public WsConfig connectGate(ConnectGate gate) { this.connectGate = gate; return this; }
    public ConnectGate connectGate() { return connectGate; }

    /** Adds an HTTP route served on the hub's port (no API key is checked: the route decides). */
    public WsConfig route(String method, String path, HttpRoute handler) {
        routes.add(new Route(method, path, handler));
        return this;
    }
    public List<Route> routes() { return routes; }

    /** Serves classpath folder {@code resourceDir} at {@code prefix}; {@code prefix} alone serves index.html. */
    public WsConfig staticFiles(String prefix, String resourceDir) {
        staticMounts.add(new StaticMount(prefix, resourceDir));
        return this;
    }
    public List<StaticMount> staticMounts() { return staticMounts; }

    private static int positive(int n) {
        if (n <= 0) throw new IllegalArgumentException("must be positive: " + n);
        return n;
    }
}

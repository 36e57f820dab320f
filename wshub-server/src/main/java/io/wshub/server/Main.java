package io.wshub.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** The {@code wshub} command: parses flags, layers them over env and file, runs the server. */
@Command(name = "wshub", mixinStandardHelpOptions = true, version = "wshub 0.1.0",
        sortOptions = false, usageHelpWidth = 100,
        description = {
                "An out-of-the-box WebSocket hub: WebSocket on /ws, HTTP API on /api, metrics, admin and demo pages.",
                "With no options it listens on 127.0.0.1:8080 with auth 'optional' and a development secret and",
                "API key kept in ./.wshub-dev-secrets (so tokens survive restarts), printed on the ready line.",
                "Every option can also come from an environment variable (WSHUB_ + the option in upper snake case,",
                "e.g. WSHUB_JWT_SECRET) or from the YAML file (key = the option in camelCase, e.g. jwtSecret).",
                "Flags override the environment, which overrides the file.", ""})
public final class Main implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (env WSHUB_CONFIG).")
    Path config;

    @Option(names = "--host", description = "Address to bind (default 127.0.0.1 with the development secret, else 0.0.0.0).")
    String host;

    @Option(names = "--port", description = "Port (default 8080; 0 picks a free port, shown on the ready line).")
    Integer port;

    @Option(names = "--tls-cert", paramLabel = "PEM_FILE", description = "Serve wss:// and https:// with this PEM certificate chain (leaf first); reloaded when it changes.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM_FILE", description = "The PEM PKCS#8 private key of --tls-cert.")
    String tlsKey;

    @Option(names = "--tls-redirect-port", paramLabel = "PORT", description = "Also listen on this plain-HTTP port and redirect every request to https (with --tls-cert).")
    Integer tlsRedirectPort;

    @Option(names = "--paths", split = ",", paramLabel = "PATH", description = "WebSocket paths (default /ws).")
    List<String> paths;

    @Option(names = "--codec", paramLabel = "json|wsrv|raw", description = "Wire format: json (HotGo, default), wsrv (go-eyas) or raw (frames unchanged: GinSkeleton, gorilla chat).")
    String codec;

    @Option(names = "--push-frames", paramLabel = "text|binary", description = "Frame type of server pushes (default binary with --codec wsrv, as wsrv; text otherwise).")
    String pushFrames;

    @Option(names = "--hotgo-send-path", paramLabel = "PATH", description = "Also serve HotGo's send-to-tag endpoint here, e.g. /socket/send/toTag (needs the API key; default off).")
    String hotgoSendPath;

    @Option(names = "--auth", paramLabel = "required|optional|off", description = "Token requirement (default optional with the development secret, required when a key is configured).")
    String auth;

    @Option(names = "--jwt-secret", paramLabel = "SECRET", description = "HS256/384/512 shared secret, at least 32 bytes.")
    String jwtSecret;

    @Option(names = "--jwt-public-key", paramLabel = "PEM_FILE", description = "PEM public key file for RS*/PS*/ES* tokens.")
    String jwtPublicKey;

    @Option(names = "--jwks-url", paramLabel = "URL", description = "JWKS URL for RS*/ES* tokens.")
    String jwksUrl;

    @Option(names = "--user-id-claim", paramLabel = "CLAIM", description = "Claim holding the user id (default sub, falling back to id).")
    String userIdClaim;

    @Option(names = "--allowed-origins", split = ",", paramLabel = "ORIGIN", description = "Browser origins allowed to connect, * wildcards (default: same origin only).")
    List<String> allowedOrigins;

    @Option(names = "--cors-origins", split = ",", paramLabel = "ORIGIN", description = "Origins whose pages may call the HTTP API (admin tools; the key is still needed), * wildcards (default: none).")
    List<String> corsOrigins;

    @Option(names = {"--api-keys", "--api-key"}, split = ",", paramLabel = "KEY", description = "HTTP API keys (default: the development key from --dev-secrets-file, printed at start).")
    List<String> apiKeys;

    @Option(names = "--redis-url", split = ",", paramLabel = "URL", description = "Cluster mode over Redis: redis://[:password@]host:port or rediss://...; several (repeated or comma-separated) = shards.")
    List<String> redisUrl;

    @Option(names = "--redis-cluster", arity = "0..1", paramLabel = "BOOL", description = "The --redis-url(s) are seed nodes of one Redis Cluster (7.0+): sharded pub/sub, each channel on its slot's master (default false).")
    Boolean redisCluster;

    @Option(names = "--nats-url", paramLabel = "URL", description = "Sends between nodes over NATS (nats://host:4222); presence stays in the --redis-url Redis.")
    String natsUrl;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's id in a cluster (default: random).")
    String nodeId;

    @Option(names = "--max-message-bytes", paramLabel = "BYTES", description = "Largest inbound message (default 65536).")
    Integer maxMessageBytes;

    @Option(names = "--outbound-queue-bytes", paramLabel = "BYTES", description = "Per-connection outbound queue; overflow closes with 4008 (default 1048576).")
    Integer outboundQueueBytes;

    @Option(names = "--write-delay", paramLabel = "MILLIS", description = "Fixed write window: pushes to a connection leave together at most this late; replies never wait (0-1000; 0 = never hold; default: automatic, see --write-delay-max).")
    Integer writeDelay;

    @Option(names = "--write-delay-max", paramLabel = "MILLIS", description = "Cap of the automatic write window, the default: pushes are held only while an event loop is busy flushing, as long as its last round took, at most this (1-1000; default 20). Larger holds pushes longer on a busy loop, for fewer writes and more latency.")
    Integer writeDelayMax;

    @Option(names = "--io-threads", paramLabel = "N", description = "Event loops; 0 = one per CPU this process may use (default 0).")
    Integer ioThreads;

    @Option(names = "--ping-interval", paramLabel = "SECONDS", description = "Server ping after this much client silence (default 25).")
    Integer pingInterval;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Close with 4408 after this much client silence (default 60; 30 with --codec wsrv).")
    Integer idleTimeout;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "Shutdown waits this long for clients to go (default 10).")
    Integer drainTimeout;

    @Option(names = "--drain-grace", paramLabel = "SECONDS", description = "On SIGTERM /healthz answers 503 at once while connections are still accepted for this long, then the drain starts (default 0).")
    Integer drainGrace;

    @Option(names = "--rate-limit", paramLabel = "PER_SECOND", description = "Messages per second per connection; 0 = unlimited (default).")
    Integer rateLimit;

    @Option(names = "--compression", arity = "0..1", paramLabel = "BOOL", description = "Negotiate permessage-deflate with clients that offer it (default false).")
    Boolean compression;

    @Option(names = "--compression-threshold", paramLabel = "BYTES", description = "Server messages smaller than this go out uncompressed (default 512).")
    Integer compressionThreshold;

    @Option(names = "--compression-client-context-takeover", arity = "0..1", paramLabel = "BOOL", description = "Let clients keep their compression context (about 40 KiB per connection; default false).")
    Boolean compressionClientContextTakeover;

    @Option(names = "--metrics", arity = "0..1", paramLabel = "BOOL", description = "Serve /metrics (default true).")
    Boolean metrics;

    @Option(names = "--http-api", arity = "0..1", paramLabel = "BOOL", description = "Serve the HTTP API under /api (default true).")
    Boolean httpApi;

    @Option(names = "--connected-event", arity = "0..1", paramLabel = "BOOL", description = "Push a 'connected' event after the upgrade (default true).")
    Boolean connectedEvent;

    @Option(names = "--demo", arity = "0..1", paramLabel = "BOOL", description = "Chat demo at /demo with POST /demo/token logins. Default: on only with the development secret and auth not required; never turn it on in production.")
    Boolean demo;

    @Option(names = "--dev-secrets-file", paramLabel = "FILE", description = "Where the development secret and API key are kept when not configured (created 0600; default ./" + DevSecrets.DEFAULT_FILE + ").")
    String devSecretsFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "wshub's log level: trace, debug (also refused handshakes), info (default), warn, error, off.")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines on stderr as text (default) or one JSON object per line.")
    String logFormat;

    @Option(names = "--history", split = ",", paramLabel = "RULE", description = "History streams for recovery: <tag glob>=<size>/<ttl seconds> or @user=<size>/<ttl seconds>, e.g. 'room:*=100/300,@user=50/600' (default: none, at-most-once).")
    List<String> history;
    @Option(names = "--backend-secret", paramLabel = "SECRET", description = "Signs every proxy and webhook request (HMAC-SHA256, docs/backend.md).")
    String backendSecret;

    @Option(names = "--proxy-url", paramLabel = "URL", description = "Backend URL for every client event no other route serves (event proxy).")
    String proxyUrl;

    @Option(names = "--proxy-events", split = ",", paramLabel = "MATCH=URL", description = "Event proxy routes, * wildcards, first match wins (e.g. chat/*=http://app/ws/chat).")
    List<String> proxyEvents;

    @Option(names = "--proxy-timeout-ms", paramLabel = "MS", description = "Backend answer timeout; the client then gets 504 (default 5000).")
    Integer proxyTimeoutMs;

    @Option(names = "--proxy-max-in-flight", paramLabel = "N", description = "Backend requests in flight at once; past it clients get 429 (default 1000).")
    Integer proxyMaxInFlight;

    @Option(names = "--connect-url", paramLabel = "URL", description = "Backend that authorizes every connection before the upgrade (connect proxy).")
    String connectUrl;

    @Option(names = "--connect-headers", split = ",", paramLabel = "HEADER", description = "Request headers forwarded to the connect URL (default: none).")
    List<String> connectHeaders;

    @Option(names = "--join-policy", paramLabel = "open|token|proxy", description = "Who may join a tag: anyone (open, default), a token claim, or the join URL.")
    String joinPolicy;

    @Option(names = "--join-claim", paramLabel = "CLAIM", description = "Token claim listing allowed tag patterns for --join-policy token (default tags).")
    String joinClaim;

    @Option(names = "--auto-join-claim", paramLabel = "CLAIM", description = "Token claim listing tags each connection joins at connect (default: none).")
    String autoJoinClaim;

    @Option(names = "--join-url", paramLabel = "URL", description = "Backend deciding each join for --join-policy proxy.")
    String joinUrl;

    @Option(names = "--join-cache", paramLabel = "SECONDS", description = "How long a connection remembers the join URL's answer per tag (default 0).")
    Integer joinCache;

    @Option(names = "--public-tags", split = ",", paramLabel = "PATTERN", description = "Tags anyone may join under every policy, * wildcards (e.g. news,room:*).")
    List<String> publicTags;

    @Option(names = "--webhook-url", paramLabel = "URL", description = "Backend receiving signed webhooks (connect, disconnect, join, quit, user.online, user.offline).")
    String webhookUrl;

    @Option(names = "--webhook-events", split = ",", paramLabel = "EVENT", description = "Webhooks to send (default: all).")
    List<String> webhookEvents;

    @Option(names = "--offline-grace", paramLabel = "SECONDS", description = "A user's last connection must stay gone this long before user.offline (default 5).")
    Integer offlineGrace;

    @Option(names = "--max-tags-per-connection", paramLabel = "N", description = "Tags one connection may join; past it join answers 413 (default 128).")
    Integer maxTagsPerConnection;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Open connections per client IP on this node; past it the upgrade gets 429 (default 0 = unlimited).")
    Integer maxConnectionsPerIp;

    @Option(names = "--max-connections-per-user", paramLabel = "N", description = "Open connections per user, cluster-wide; past it the upgrade gets 429 (default 0 = unlimited).")
    Integer maxConnectionsPerUser;

    @Option(names = "--handshakes-per-second-per-ip", paramLabel = "N", description = "Upgrade attempts per second per client IP; over it 429 (default 0 = unlimited).")
    Integer handshakesPerSecondPerIp;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", description = "A request head must arrive within this time of its first byte (default 10).")
    Integer handshakeTimeout;

    @Option(names = "--require-exp", arity = "0..1", paramLabel = "BOOL", description = "Refuse tokens without an exp claim (default false: HotGo tokens carry none).")
    Boolean requireExp;

    @Option(names = "--clock-skew", paramLabel = "SECONDS", description = "Allowed clock difference for exp and nbf (default 5).")
    Integer clockSkew;

    @Override
    public Integer call() throws Exception {
        CommandLine.Model.CommandSpec spec = new CommandLine(this).getCommandSpec();
        Settings settings = SettingsLoader.load(config, System.getenv(), spec);
        LogSetup.apply(settings.logLevel, settings.logFormat);
        Server server = Server.start(settings);
        System.out.println(server.readyLine());
        System.out.flush();
        server.awaitShutdown();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("wshub: " + e.getMessage());
                    return 2;
                })
                .execute(args);
        System.exit(code);
    }
}

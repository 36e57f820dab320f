package io.wshub.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshub.client.internal.ClientOptions;
import io.wshub.client.internal.RealClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** Options of a {@link WsHubClient}; every one has a default. Not thread-safe; {@link #build()} copies them. */
public final class WsHubClientBuilder {
    private final URI uri;
    private Supplier<String> tokens;
    private boolean staticToken;
    private ClientCodec codec = ClientCodec.JSON;
    private ObjectMapper mapper;
    private HttpClient http;
    // 10 s: long enough for a blocking handler on a busy server, short enough to notice a lost reply.
    private Duration requestTimeout = Duration.ofSeconds(10);
    // 20 s: below the server's 25 s ping and well inside its 60 s idle timeout.
    private Duration heartbeatInterval = Duration.ofSeconds(20);
    private Duration heartbeatTimeout = Duration.ofSeconds(10);
    private Duration refreshBeforeExpiry = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Backoff backoff = Backoff.DEFAULT;
    private boolean reconnect = true;
    private int queueLimit = 100;
    // 4 MiB: thousands of requests in flight before send() says no; the server itself reads
    // at most 64 KiB per message.
    private int outboundBufferBytes = 4 * 1024 * 1024;
    // 16 MiB: far above any server limit, low enough that a broken server cannot exhaust the heap.
    private int maxMessageChars = 16 * 1024 * 1024;

    WsHubClientBuilder(URI uri) {
        String scheme = Objects.requireNonNull(uri, "uri").getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("expected a ws:// or wss:// URI: " + uri);
        }
        this.uri = uri;
    }

    /** A fixed token, sent as {@code Authorization: Bearer}; an expired one is not refreshed. */
    public WsHubClientBuilder token(String token) {
        Objects.requireNonNull(token, "token");
        this.tokens = () -> token;
        this.staticToken = true;
        return this;
    }

    /**
     * Where tokens come from: called (on a pool thread, may block) before every connect and
     * before the current token's {@code exp} for {@code refresh}. Null (from the supplier)
     * connects anonymously.
     */
    public WsHubClientBuilder tokenSupplier(Supplier<String> tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.staticToken = false;
        return this;
    }

    public WsHubClientBuilder codec(ClientCodec codec) { this.codec = Objects.requireNonNull(codec); return this; }

    /** The mapper for request data and typed handlers (default: a plain {@code new ObjectMapper()}). */
    public WsHubClientBuilder mapper(ObjectMapper mapper) { this.mapper = Objects.requireNonNull(mapper); return this; }

    /** Share one {@code HttpClient} among many clients (default: one per client). */
    public WsHubClientBuilder httpClient(HttpClient http) { this.http = Objects.requireNonNull(http); return this; }

    public WsHubClientBuilder requestTimeout(Duration d) { this.requestTimeout = positive(d); return this; }

    /** Idle time before a {@code ping}; zero turns the heartbeat off. */
    public WsHubClientBuilder heartbeat(Duration interval, Duration timeout) {
        this.heartbeatInterval = Objects.requireNonNull(interval);
        this.heartbeatTimeout = positive(timeout);
        return this;
    }

    /** How long before {@code exp} to send {@code refresh}; zero turns refreshing off. */
    public WsHubClientBuilder refreshBeforeExpiry(Duration d) { this.refreshBeforeExpiry = Objects.requireNonNull(d); return this; }

    public WsHubClientBuilder connectTimeout(Duration d) { this.connectTimeout = positive(d); return this; }

    public WsHubClientBuilder backoff(Backoff backoff) { this.backoff = Objects.requireNonNull(backoff); return this; }

    /** False: a lost connection stays lost (state {@link ClientState#CLOSED}). */
    public WsHubClientBuilder reconnect(boolean on) { this.reconnect = on; return this; }

    /** Messages kept while offline (default 100); joins are not counted. */
    public WsHubClientBuilder queueLimit(int messages) { this.queueLimit = Math.max(0, messages); return this; }

    public WsHubClientBuilder outboundBufferBytes(int bytes) { this.outboundBufferBytes = Math.max(1, bytes); return this; }

    public WsHubClientBuilder maxMessageChars(int chars) { this.maxMessageChars = Math.max(1, chars); return this; }

    /** A client, not yet connected: register handlers, then {@link WsHubClient#connect()}. */
    public WsHubClient build() {
        ClientOptions o = new ClientOptions(uri, tokens, staticToken, codec, mapper == null ? new ObjectMapper() : mapper,
                http == null ? HttpClient.newHttpClient() : http, requestTimeout, heartbeatInterval, heartbeatTimeout,
                refreshBeforeExpiry, connectTimeout, backoff, reconnect, queueLimit, outboundBufferBytes, maxMessageChars);
        return new RealClient(o);
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive: " + d);
        }
        return d;
    }
}

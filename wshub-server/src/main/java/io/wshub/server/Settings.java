package io.wshub.server;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * Every setting of the standalone server, as the YAML file names them. Flags and environment
 * variables use the same names ({@code jwtSecret} = {@code --jwt-secret} =
 * {@code WSHUB_JWT_SECRET}); null means "not set here". Durations are in seconds.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class Settings {
    public String host;
    public Integer port;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> paths;
    public String codec;
    public String pushFrames;
    public String hotgoSendPath;
    public String auth;
    public String jwtSecret;
    public String jwtPublicKey;
    public String jwksUrl;
    public String userIdClaim;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> allowedOrigins;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> corsOrigins;
    @JsonAlias("apiKey")
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> apiKeys;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> redisUrl;
    public Boolean redisCluster;
    public String natsUrl;
    public String nodeId;
    public Integer maxMessageBytes;
    public Integer outboundQueueBytes;
    /** Milliseconds, unlike the other durations; so is {@link #writeDelayMax}. */
    public Integer writeDelay;
    public Integer writeDelayMax;
    public Integer ioThreads;
    public Integer pingInterval;
    public Integer idleTimeout;
    public Integer drainTimeout;
    public Integer drainGrace;
    public Integer rateLimit;
    public Boolean metrics;
    public Boolean httpApi;
    public Boolean connectedEvent;
    public Boolean demo;
    public String devSecretsFile;
    public String logLevel;
    public String logFormat;
    public String tlsCert;
    public String tlsKey;
    public Integer tlsRedirectPort;
    public Boolean compression;
    public Integer compressionThreshold;
    public Boolean compressionClientContextTakeover;
    /** Rules as strings or YAML objects: {@link HistorySettings}. */
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<com.fasterxml.jackson.databind.JsonNode> history;
    // Backend integration (docs/backend.md); timeouts in milliseconds.
    public String backendSecret;
    public String proxyUrl;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<ProxyEventSetting> proxyEvents;
    public Integer proxyTimeoutMs;
    public Integer proxyMaxInFlight;
    public String connectUrl;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> connectHeaders;
    public String joinPolicy;
    public String joinClaim;
    public String autoJoinClaim;
    public String joinUrl;
    public Integer joinCache;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> publicTags;
    public String webhookUrl;
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> webhookEvents;
    public Integer offlineGrace;
    public Integer maxTagsPerConnection;
    public Integer maxConnectionsPerIp;
    public Integer maxConnectionsPerUser;
    public Integer handshakesPerSecondPerIp;
    public Integer handshakeTimeout;
    public Boolean requireExp;
    public Integer clockSkew;
}

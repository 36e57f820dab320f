package io.wshub.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code wshub.*} keys of {@code application.yml}. They mirror the standalone server's
 * options (README "Configuration", same names in kebab case: {@code jwtSecret} =
 * {@code wshub.jwt-secret}); durations without a unit are seconds, as in the server.
 * The hub listens on its own port ({@code wshub.port}, default 8081, so it does not collide
 * with the servlet container's 8080).
 */
@ConfigurationProperties(prefix = "wshub")
public class WsHubProperties {
    /** Create and start the hub (default true). */
    private boolean enabled = true;
    private String host = "0.0.0.0";
    /** The hub's own port; 0 picks a free one (WsHub.port() tells which). */
    private int port = 8081;
    private List<String> paths = new ArrayList<>(List.of("/ws"));
    /** Wire format: json (HotGo) or wsrv. */
    private String codec = "json";
    /** required, optional or off; unset = required when a token verifier exists, else off. */
    private String auth;
    /** HS256/384/512 secret (at least 32 bytes). */
    private String jwtSecret;
    /** File with a PEM public key or certificate (RS*, PS*, ES*). */
    private String jwtPublicKey;
    private String jwksUrl;
    /** Claim holding the user id (default sub, falling back to id); also used with a JwtDecoder bean. */
    private String userIdClaim;
    private List<String> allowedOrigins = new ArrayList<>();
    private List<String> apiKeys = new ArrayList<>();
    /** Cluster mode over Redis (needs io.wshub:wshub-redis on the classpath). */
    private String redisUrl;
    private String nodeId;
    private Integer maxMessageBytes;
    private Integer outboundQueueBytes;
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration pingInterval;
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration idleTimeout;
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration drainTimeout;
    /** Messages per second per connection, burst twice that; 0 = unlimited. */
    private int rateLimit;
    /** Serve /metrics on the hub's port too (Actuator serves the same meters). */
    private boolean metrics = true;
    private boolean httpApi = true;
    private boolean connectedEvent = true;
    private Integer workerThreads;
    private Integer ioThreads;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public List<String> getPaths() { return paths; }
    public void setPaths(List<String> paths) { this.paths = paths; }
    public String getCodec() { return codec; }
    public void setCodec(String codec) { this.codec = codec; }
    public String getAuth() { return auth; }
    public void setAuth(String auth) { this.auth = auth; }
    public String getJwtSecret() { return jwtSecret; }
    public void setJwtSecret(String jwtSecret) { this.jwtSecret = jwtSecret; }
    public String getJwtPublicKey() { return jwtPublicKey; }
    public void setJwtPublicKey(String jwtPublicKey) { this.jwtPublicKey = jwtPublicKey; }
    public String getJwksUrl() { return jwksUrl; }
    public void setJwksUrl(String jwksUrl) { this.jwksUrl = jwksUrl; }
    public String getUserIdClaim() { return userIdClaim; }
    public void setUserIdClaim(String userIdClaim) { this.userIdClaim = userIdClaim; }
    public List<String> getAllowedOrigins() { return allowedOrigins; }
    public void setAllowedOrigins(List<String> allowedOrigins) { this.allowedOrigins = allowedOrigins; }
    public List<String> getApiKeys() { return apiKeys; }
    public void setApiKeys(List<String> apiKeys) { this.apiKeys = apiKeys; }
    public String getRedisUrl() { return redisUrl; }
    public void setRedisUrl(String redisUrl) { this.redisUrl = redisUrl; }
    public String getNodeId() { return nodeId; }
    public void setNodeId(String nodeId) { this.nodeId = nodeId; }
    public Integer getMaxMessageBytes() { return maxMessageBytes; }
    public void setMaxMessageBytes(Integer maxMessageBytes) { this.maxMessageBytes = maxMessageBytes; }
    public Integer getOutboundQueueBytes() { return outboundQueueBytes; }
    public void setOutboundQueueBytes(Integer outboundQueueBytes) { this.outboundQueueBytes = outboundQueueBytes; }
    public Duration getPingInterval() { return pingInterval; }
    public void setPingInterval(Duration pingInterval) { this.pingInterval = pingInterval; }
    public Duration getIdleTimeout() { return idleTimeout; }
    public void setIdleTimeout(Duration idleTimeout) { this.idleTimeout = idleTimeout; }
    public Duration getDrainTimeout() { return drainTimeout; }
    public void setDrainTimeout(Duration drainTimeout) { this.drainTimeout = drainTimeout; }
    public int getRateLimit() { return rateLimit; }
    public void setRateLimit(int rateLimit) { this.rateLimit = rateLimit; }
    public boolean isMetrics() { return metrics; }
    public void setMetrics(boolean metrics) { this.metrics = metrics; }
    public boolean isHttpApi() { return httpApi; }
    public void setHttpApi(boolean httpApi) { this.httpApi = httpApi; }
    public boolean isConnectedEvent() { return connectedEvent; }
    public void setConnectedEvent(boolean connectedEvent) { this.connectedEvent = connectedEvent; }
    public Integer getWorkerThreads() { return workerThreads; }
    public void setWorkerThreads(Integer workerThreads) { this.workerThreads = workerThreads; }
    public Integer getIoThreads() { return ioThreads; }
    public void setIoThreads(Integer ioThreads) { this.ioThreads = ioThreads; }
}

package io.wshub.server;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One {@code proxyEvents} entry: in YAML {@code {match: "chat/*", url: ..., timeoutMs: 2000}},
 * on the command line and in {@code WSHUB_PROXY_EVENTS} {@code chat/*=http://...} (comma
 * separated). {@code timeoutMs} null = {@code proxyTimeoutMs}.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ProxyEventSetting(String match, String url, Integer timeoutMs) {
    @JsonCreator
    public ProxyEventSetting(@JsonProperty("match") String match, @JsonProperty("url") String url,
                             @JsonProperty("timeoutMs") Integer timeoutMs) {
        if (match == null || match.isEmpty() || url == null || url.isEmpty()) {
            throw new IllegalArgumentException("a proxyEvents entry needs match and url");
        }
        this.match = match;
        this.url = url;
        this.timeoutMs = timeoutMs;
    }

    /** {@code MATCH=URL}. */
    @JsonCreator
    public static ProxyEventSetting parse(String flag) {
        int eq = flag.indexOf('=');
        if (eq <= 0 || eq == flag.length() - 1) {
            throw new IllegalArgumentException("--proxy-events wants MATCH=URL, got '" + flag + "'");
        }
        return new ProxyEventSetting(flag.substring(0, eq).trim(), flag.substring(eq + 1).trim(), null);
    }
}

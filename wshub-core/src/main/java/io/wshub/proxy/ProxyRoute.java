package io.wshub.proxy;

import io.wshub.join.TagPattern;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One line of the event proxy's route table: events matching {@code match} ({@code *}
 * wildcards, e.g. {@code chat/*}; {@code *} alone catches all) go to {@code url}, and a client
 * hears 504 when the backend takes longer than {@code timeout}.
 */
public record ProxyRoute(String match, URI url, Duration timeout) {
    /** Backends usually answer in milliseconds; a few seconds is long enough to ride out a GC pause. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ProxyRoute {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("proxy url must be http or https: " + url);
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("proxy timeout must be positive: " + timeout);
        }
    }

    public ProxyRoute(String match, String url, Duration timeout) {
        this(match, URI.create(url), timeout);
    }

    public boolean matches(String event) {
        return TagPattern.matches(match, event, null);
    }
}

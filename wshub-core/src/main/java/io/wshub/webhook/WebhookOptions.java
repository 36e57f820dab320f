package io.wshub.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of {@link Webhooks}.
 *
 * @param url          where every webhook is POSTed
 * @param types        which webhooks to send (see {@link Webhook}); empty = all
 * @param offlineGrace how long a user's last connection must stay gone before {@code user.offline}
 * @param timeout      per attempt
 * @param maxAttempts  attempts per webhook before it is dropped (counted)
 * @param queueLimit   webhooks waiting to be sent; past it new ones are dropped (counted)
 */
public record WebhookOptions(URI url, Set<String> types, Duration offlineGrace, Duration timeout, int maxAttempts,
                             int queueLimit) {
    /** 5 s: a page reload takes well under it, so a reload does not flap online/offline. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** 5 attempts with doubling backoff from 250 ms ride out about 4 s of backend trouble. */
    public static final int DEFAULT_ATTEMPTS = 5;
    /** 10,000 small JSON bodies are a few MiB at most. */
    public static final int DEFAULT_QUEUE = 10_000;

    public WebhookOptions {
        Objects.requireNonNull(url, "url");
        types = types == null || types.isEmpty() ? Webhook.ALL : Set.copyOf(types);
        for (String t : types) {
            if (!Webhook.ALL.contains(t)) {
                throw new IllegalArgumentException("unknown webhook '" + t + "'; known: " + Webhook.ALL);
            }
        }
        offlineGrace = offlineGrace == null ? DEFAULT_GRACE : offlineGrace;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        if (maxAttempts < 1 || queueLimit < 1) {
            throw new IllegalArgumentException("maxAttempts and queueLimit must be positive");
        }
    }

    public static WebhookOptions of(String url) {
        return new WebhookOptions(URI.create(url), Set.of(), DEFAULT_GRACE, null, DEFAULT_ATTEMPTS, DEFAULT_QUEUE);
    }

    public WebhookOptions withGrace(Duration grace) {
        return new WebhookOptions(url, types, grace, timeout, maxAttempts, queueLimit);
    }

    public WebhookOptions withTypes(Set<String> types) {
        return new WebhookOptions(url, types, offlineGrace, timeout, maxAttempts, queueLimit);
    }

    public WebhookOptions withQueue(int queueLimit, int maxAttempts) {
        return new WebhookOptions(url, types, offlineGrace, timeout, maxAttempts, queueLimit);
    }
}
